import type { Change, Plan, ProjectPlan } from "../model/plan.js";
import {
  countEscalations,
  describePersonChange,
  formatAccess,
  perPerson,
  selfLockoutNotice,
  summaryLine,
  type PersonView,
} from "./plan-common.js";

/** GitHub refuses comments over 65,536 characters; stay a little under for the marker the action adds. */
export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;

/** Past this many changes the tables are folded even when they fit: the summary is what a reviewer reads first. */
export const COLLAPSE_OVER_CHANGES = 50;

const ACTION_CELL: Readonly<Record<Change["action"], string>> = {
  create: "➕ add",
  update: "✏️ change",
  delete: "➖ remove",
};

/**
 * Text from the file or from QuantConnect (project names, reasons) must not break the table or
 * inject HTML into the comment: escape table pipes, HTML, and markdown emphasis characters.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

function code(text: string): string {
  // User ids and sources are short and have no backticks in practice; strip them to be safe.
  return `\`${text.replace(/`/g, "'")}\``;
}

function accessCell(change: Change): string {
  if (change.action === "update" && change.before !== null && change.after !== null) {
    return `${formatAccess(change.before)} → **${formatAccess(change.after)}**`;
  }
  if (change.action === "delete" && change.before !== null) return `~~${formatAccess(change.before)}~~`;
  return change.after === null ? "" : formatAccess(change.after);
}

function sourceCell(change: Change): string {
  return /:\d+$/.test(change.source) ? code(change.source) : escapeMarkdown(change.source);
}

function noteCell(change: Change): string {
  const notes = [
    change.escalation ? "**▲ escalation**" : undefined,
    change.selfLockout ? "**✖ self-lockout** (apply refuses)" : undefined,
    change.expires === undefined ? undefined : `⏳ until ${escapeMarkdown(change.expires)}`,
    change.reason === undefined ? undefined : `“${escapeMarkdown(change.reason)}”`,
  ].filter((n) => n !== undefined);
  return notes.join("<br>");
}

/** How much detail to show: limits are lowered until the comment fits. */
interface Detail {
  readonly collapsed: boolean;
  /** Rows per project table (changes, then unmanaged), and entries in each other list. */
  readonly rows: number;
  /** Projects with changes shown. */
  readonly projects: number;
}

class Overflow extends Error {}

/**
 * Collects lines and gives up as soon as the text passes the limit, so trying a level of detail
 * on a plan of 10,000 projects costs at most `limit` characters of work.
 */
class Writer {
  private readonly lines: string[] = [];
  private length = 0;
  constructor(private readonly limit: number) {}

  line(...lines: string[]): void {
    for (const text of lines) {
      this.lines.push(text);
      this.length += text.length + 1;
      if (this.length > this.limit) throw new Overflow("over the length limit");
    }
  }

  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

function more(n: number, one: string, many: string): string {
  return `_…and ${n} more ${n === 1 ? one : many}_`;
}

function projectSection(out: Writer, project: ProjectPlan, rows: number): void {
  out.line(
    "",
    `#### ${escapeMarkdown(project.name)} (#${project.projectId})`,
    "",
    "| | User | Access | Source | Note |",
    "|---|---|---|---|---|",
  );
  const shown = Math.min(rows, project.changes.length);
  for (const change of project.changes.slice(0, shown)) {
    out.line(
      `| ${ACTION_CELL[change.action]} | ${code(change.user)} | ${accessCell(change)} | ${sourceCell(change)} | ${noteCell(change)} |`,
    );
  }
  const hidden = project.changes.length - shown;
  if (hidden > 0) out.line(`| | ${more(hidden, "change", "changes")} | | | |`);
  if (project.unmanaged.length > 0) {
    const kept = project.unmanaged.slice(0, Math.max(0, rows - shown));
    const rest = project.unmanaged.length - kept.length;
    const list = kept.map((u) => `${code(u.user)} (${formatAccess(u.access)})`);
    if (rest > 0) list.push(`…and ${rest} more`);
    out.line("", `Unmanaged, kept (prune is off): ${list.join(", ")}`);
  }
}

function quietUnmanagedSection(out: Writer, projects: readonly ProjectPlan[], rows: number): void {
  out.line("", "#### Unchanged projects with unmanaged collaborators (prune is off)", "");
  for (const project of projects.slice(0, rows)) {
    const kept = project.unmanaged.slice(0, rows).map((u) => `${code(u.user)} (${formatAccess(u.access)})`);
    if (project.unmanaged.length > rows) kept.push(`…and ${project.unmanaged.length - rows} more`);
    out.line(`- ${escapeMarkdown(project.name)} (#${project.projectId}): ${kept.join(", ")}`);
  }
  if (projects.length > rows) out.line(`- ${more(projects.length - rows, "project", "projects")}`);
}

function personSection(out: Writer, people: readonly PersonView[], rows: number): void {
  out.line("", "#### Who gains or loses what", "", "| Person | Changes |", "|---|---|");
  for (const person of people.slice(0, rows)) {
    const items = person.changes.map((item) => {
      const text = escapeMarkdown(describePersonChange(item));
      return item.change.escalation ? `**${text}** ▲` : text;
    });
    out.line(`| ${code(person.user)} | ${items.join("<br>")} |`);
  }
  if (people.length > rows) out.line(`| ${more(people.length - rows, "person", "people")} | |`);
}

function header(out: Writer, plan: Plan): void {
  out.line(
    `### qc-collab plan for \`${plan.configFile.replace(/`/g, "'")}\``,
    "",
    `**${summaryLine(plan)}**`,
  );
  const escalations = countEscalations(plan);
  if (escalations > 0) {
    const s = escalations === 1 ? "" : "s";
    out.line("", `▲ ${escalations} escalation${s}: more access than before (marked below).`);
  }
  const notice = selfLockoutNotice(plan);
  if (notice !== undefined) out.line("", "> [!CAUTION]", `> ${notice}`);
}

interface Parts {
  readonly changed: readonly ProjectPlan[];
  readonly quiet: readonly ProjectPlan[];
  readonly people: readonly PersonView[];
}

function render(plan: Plan, parts: Parts, detail: Detail, limit: number): string | undefined {
  const out = new Writer(limit);
  try {
    header(out, plan);
    if (plan.warnings.length > 0) {
      out.line("", "**Warnings**", "");
      for (const w of plan.warnings.slice(0, detail.rows)) {
        const where = w.source === undefined || w.source === "" ? "" : ` (${code(w.source)})`;
        out.line(`- ⚠️ ${escapeMarkdown(w.message)}${where}`);
      }
      const hidden = plan.warnings.length - detail.rows;
      if (hidden > 0) out.line(`- ${more(hidden, "warning", "warnings")}`);
    }
    const { changed, quiet, people } = parts;
    const hasBody = changed.length > 0 || (detail.rows > 0 && quiet.length > 0);
    if (hasBody && detail.collapsed) {
      const s = changed.length === 1 ? "" : "s";
      out.line("", `<details><summary>Changes in ${changed.length} project${s}</summary>`);
    }
    for (const project of changed.slice(0, detail.projects)) projectSection(out, project, detail.rows);
    const hiddenProjects = changed.length - detail.projects;
    if (hiddenProjects > 0) out.line("", more(hiddenProjects, "changed project", "changed projects"));
    if (detail.rows > 0 && quiet.length > 0) quietUnmanagedSection(out, quiet, detail.rows);
    if (detail.rows > 0 && people.length > 0) personSection(out, people, detail.rows);
    if (hasBody && detail.collapsed) out.line("", "</details>");
    out.line(
      "",
      `<sub>${plan.tool.name} ${escapeMarkdown(plan.tool.version)} · planned ${plan.createdAt}</sub>`,
    );
  } catch (error) {
    if (error instanceof Overflow) return undefined;
    throw error;
  }
  return out.text();
}

/** Largest n in [0, high] for which fits(n), assuming fits is monotone; -1 if none. */
function largestFitting(high: number, fits: (n: number) => boolean): number {
  let low = 0;
  let best = -1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) {
      best = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/**
 * The plan for a pull-request comment or job summary: the summary first, a table per changed
 * project, escalations in bold, then who gains or loses what. A long plan (over
 * COLLAPSE_OVER_CHANGES changes, or over `maxLength`) folds its detail into <details>; past
 * `maxLength` it then shows fewer rows per table ("…and N more"), then fewer projects. The
 * summary is never cut.
 */
export function renderPlanMarkdown(plan: Plan, options: { readonly maxLength?: number } = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const parts: Parts = {
    changed: plan.projects.filter((p) => p.changes.length > 0),
    quiet: plan.projects.filter((p) => p.changes.length === 0 && p.unmanaged.length > 0),
    people: perPerson(plan),
  };
  const maxRows = plan.projects.reduce(
    (n, p) => Math.max(n, p.changes.length + p.unmanaged.length),
    Math.max(parts.people.length, plan.warnings.length, parts.quiet.length),
  );
  const totalChanges = plan.summary.create + plan.summary.update + plan.summary.delete;
  const attempt = (detail: Detail, limit = maxLength): string | undefined =>
    render(plan, parts, detail, limit);
  const full: Detail = { collapsed: false, rows: maxRows, projects: parts.changed.length };
  const expanded = totalChanges <= COLLAPSE_OVER_CHANGES ? attempt(full) : undefined;
  if (expanded !== undefined) return expanded;
  const collapsed: Detail = { ...full, collapsed: true };
  const folded = attempt(collapsed);
  if (folded !== undefined) return folded;
  const rows = largestFitting(maxRows, (n) => attempt({ ...collapsed, rows: n }) !== undefined);
  if (rows >= 1) return attempt({ ...collapsed, rows }) ?? "";
  const projects = largestFitting(
    parts.changed.length,
    (n) => attempt({ collapsed: true, rows: 0, projects: n }) !== undefined,
  );
  // When nothing fits, the header and summary are returned whole: they are never cut.
  return attempt({ collapsed: true, rows: 0, projects: Math.max(0, projects) }, Infinity) ?? "";
}
