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

function more(n: number, one: string, many: string): string {
  return `_…and ${n} more ${n === 1 ? one : many}_`;
}

function projectSection(project: ProjectPlan, rows: number): string[] {
  const lines = [
    `#### ${escapeMarkdown(project.name)} (#${project.projectId})`,
    "",
    "| | User | Access | Source | Note |",
    "|---|---|---|---|---|",
  ];
  const shown = project.changes.slice(0, rows);
  for (const change of shown) {
    lines.push(
      `| ${ACTION_CELL[change.action]} | ${code(change.user)} | ${accessCell(change)} | ${sourceCell(change)} | ${noteCell(change)} |`,
    );
  }
  const hidden = project.changes.length - shown.length;
  if (hidden > 0) lines.push(`| | ${more(hidden, "change", "changes")} | | | |`);
  if (project.unmanaged.length > 0) {
    const kept = project.unmanaged.slice(0, Math.max(0, rows - shown.length));
    const rest = project.unmanaged.length - kept.length;
    const list = kept.map((u) => `${code(u.user)} (${formatAccess(u.access)})`);
    if (rest > 0) list.push(`…and ${rest} more`);
    lines.push("", `Unmanaged, kept (prune is off): ${list.join(", ")}`);
  }
  lines.push("");
  return lines;
}

function personSection(people: readonly PersonView[], rows: number): string[] {
  const lines = ["#### Who gains or loses what", "", "| Person | Changes |", "|---|---|"];
  for (const person of people.slice(0, rows)) {
    const items = person.changes.map((item) => {
      const text = escapeMarkdown(describePersonChange(item));
      return item.change.escalation ? `**${text}** ▲` : text;
    });
    lines.push(`| ${code(person.user)} | ${items.join("<br>")} |`);
  }
  if (people.length > rows) lines.push(`| ${more(people.length - rows, "person", "people")} | |`);
  return lines;
}

function quietUnmanagedSection(projects: readonly ProjectPlan[], rows: number): string[] {
  const lines = ["#### Unchanged projects with unmanaged collaborators (prune is off)", ""];
  for (const project of projects.slice(0, rows)) {
    const kept = project.unmanaged.slice(0, rows).map((u) => `${code(u.user)} (${formatAccess(u.access)})`);
    if (project.unmanaged.length > rows) kept.push(`…and ${project.unmanaged.length - rows} more`);
    lines.push(`- ${escapeMarkdown(project.name)} (#${project.projectId}): ${kept.join(", ")}`);
  }
  if (projects.length > rows) lines.push(`- ${more(projects.length - rows, "project", "projects")}`);
  lines.push("");
  return lines;
}

function header(plan: Plan): string[] {
  const lines = [
    `### qc-collab plan for \`${plan.configFile.replace(/`/g, "'")}\``,
    "",
    `**${summaryLine(plan)}**`,
  ];
  const escalations = countEscalations(plan);
  if (escalations > 0) {
    lines.push(
      "",
      `▲ ${escalations} escalation${escalations === 1 ? "" : "s"}: more access than before (marked below).`,
    );
  }
  const notice = selfLockoutNotice(plan);
  if (notice !== undefined) lines.push("", `> [!CAUTION]\n> ${notice}`);
  return lines;
}

function render(plan: Plan, detail: Detail, people: readonly PersonView[]): string {
  const out = header(plan);
  if (plan.warnings.length > 0) {
    out.push("", "**Warnings**", "");
    for (const w of plan.warnings.slice(0, detail.rows)) {
      const where = w.source === undefined || w.source === "" ? "" : ` (${code(w.source)})`;
      out.push(`- ⚠️ ${escapeMarkdown(w.message)}${where}`);
    }
    if (plan.warnings.length > detail.rows)
      out.push(`- ${more(plan.warnings.length - detail.rows, "warning", "warnings")}`);
  }
  const changed = plan.projects.filter((p) => p.changes.length > 0);
  const body: string[] = [];
  for (const project of changed.slice(0, detail.projects)) body.push(...projectSection(project, detail.rows));
  if (changed.length > detail.projects)
    body.push(more(changed.length - detail.projects, "changed project", "changed projects"), "");
  const quiet = plan.projects.filter((p) => p.changes.length === 0 && p.unmanaged.length > 0);
  if (quiet.length > 0 && detail.rows > 0) body.push(...quietUnmanagedSection(quiet, detail.rows));
  if (people.length > 0 && detail.rows > 0) body.push(...personSection(people, detail.rows));
  if (body.length > 0) {
    out.push("");
    while (body.at(-1) === "") body.pop();
    if (detail.collapsed) {
      out.push(
        `<details><summary>Changes in ${changed.length} project${changed.length === 1 ? "" : "s"}</summary>`,
        "",
      );
      out.push(...body, "", "</details>");
    } else {
      out.push(...body);
    }
  }
  out.push(
    "",
    `<sub>${plan.tool.name} ${escapeMarkdown(plan.tool.version)} · planned ${plan.createdAt}</sub>`,
  );
  return `${out.join("\n")}\n`;
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
  const people = perPerson(plan);
  const changed = plan.projects.filter((p) => p.changes.length > 0).length;
  const maxRows = Math.max(
    people.length,
    plan.warnings.length,
    ...plan.projects.map((p) => p.changes.length + p.unmanaged.length),
  );
  const totalChanges = plan.summary.create + plan.summary.update + plan.summary.delete;
  const full: Detail = { collapsed: false, rows: maxRows, projects: changed };
  const fits = (detail: Detail): boolean => render(plan, detail, people).length <= maxLength;
  if (totalChanges <= COLLAPSE_OVER_CHANGES && fits(full)) return render(plan, full, people);
  const collapsed = { ...full, collapsed: true };
  if (fits(collapsed)) return render(plan, collapsed, people);
  const rows = largestFitting(maxRows, (n) => fits({ ...collapsed, rows: n }));
  if (rows >= 1) return render(plan, { ...collapsed, rows }, people);
  const projects = largestFitting(changed, (n) => fits({ collapsed: true, rows: 0, projects: n }));
  // With nothing that fits, the summary and header alone are returned: they are never cut.
  return render(plan, { collapsed: true, rows: 0, projects: Math.max(0, projects) }, people);
}
