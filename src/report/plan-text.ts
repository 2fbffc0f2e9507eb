import { printablePlan } from "./printable.js";
import type { Change, ChangeAction, Plan, ProjectPlan } from "../model/plan.js";
import {
  ACTION_SYMBOL,
  describeChangeAccess,
  describePersonChange,
  expiryNote,
  formatAccess,
  perPerson,
  selfLockoutNotice,
  summaryLine,
} from "./plan-common.js";

type Style = (text: string) => string;

interface Palette {
  readonly action: Readonly<Record<ChangeAction, Style>>;
  readonly header: Style;
  readonly dim: Style;
  readonly escalation: Style;
  readonly danger: Style;
  readonly warning: Style;
}

// Hand-written SGR codes: five styles do not justify a dependency, and they must be off by default.
function sgr(open: number, close: number): Style {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}
const plain: Style = (text) => text;

const COLOR: Palette = {
  action: { create: sgr(32, 39), update: sgr(33, 39), delete: sgr(31, 39) },
  header: sgr(1, 22),
  dim: sgr(2, 22),
  escalation: sgr(35, 39),
  danger: (text) => sgr(1, 22)(sgr(31, 39)(text)),
  warning: sgr(33, 39),
};
const NO_COLOR: Palette = {
  action: { create: plain, update: plain, delete: plain },
  header: plain,
  dim: plain,
  escalation: plain,
  danger: plain,
  warning: plain,
};

export const ESCALATION_MARK = "▲ escalation";
export const SELF_LOCKOUT_MARK = "✖ self-lockout: apply refuses this";

function changeLine(change: Change, widths: { user: number; access: number }, palette: Palette): string {
  const symbol = palette.action[change.action](ACTION_SYMBOL[change.action]);
  const user = change.user.padEnd(widths.user);
  const access = describeChangeAccess(change).padEnd(widths.access);
  const until = expiryNote(change);
  const marks = [
    palette.dim(`(${change.source})`),
    until === undefined ? undefined : palette.warning(until),
    change.reason === undefined ? undefined : palette.dim(`"${change.reason}"`),
    change.escalation ? palette.escalation(ESCALATION_MARK) : undefined,
    change.selfLockout ? palette.danger(SELF_LOCKOUT_MARK) : undefined,
  ].filter((m) => m !== undefined);
  return `    ${symbol} ${user}  ${access}  ${marks.join("  ")}`.trimEnd();
}

function projectBlock(project: ProjectPlan, palette: Palette): string[] {
  const users = [...project.changes.map((c) => c.user), ...project.unmanaged.map((u) => u.user)];
  const accesses = [
    ...project.changes.map(describeChangeAccess),
    ...project.unmanaged.map((u) => formatAccess(u.access)),
  ];
  const widths = {
    user: Math.max(...users.map((u) => u.length)),
    access: Math.max(...accesses.map((a) => a.length)),
  };
  const lines = [
    palette.header(`${palette.action.update("~")} project "${project.name}" (#${project.projectId})`),
  ];
  for (const change of project.changes) lines.push(changeLine(change, widths, palette));
  for (const u of project.unmanaged) {
    lines.push(
      `    ${palette.dim("·")} ${u.user.padEnd(widths.user)}  ${formatAccess(u.access).padEnd(widths.access)}  ${palette.dim("(unmanaged, kept)")}`,
    );
  }
  return lines;
}

function unchangedWithUnmanaged(project: ProjectPlan, palette: Palette): string {
  const list = project.unmanaged.map((u) => `${u.user} (${formatAccess(u.access)})`).join(", ");
  return `  "${project.name}" (#${project.projectId}): ${list} ${palette.dim("(unmanaged, kept)")}`;
}

/**
 * The plan for a terminal, Terraform-like: one block per changed project with `+ ~ -` lines citing
 * their YAML line, unmanaged collaborators, warnings, who gains or loses what, and the summary
 * line last, where the eye lands. Colour only when asked: the adapter decides (TTY, NO_COLOR, CI).
 */
export function renderPlanText(untrusted: Plan, options: { readonly color: boolean }): string {
  const plan = printablePlan(untrusted);
  const palette = options.color ? COLOR : NO_COLOR;
  const out: string[] = [];
  const changed = plan.projects.filter((p) => p.changes.length > 0);
  for (const project of changed) out.push(...projectBlock(project, palette), "");

  const quietUnmanaged = plan.projects.filter((p) => p.changes.length === 0 && p.unmanaged.length > 0);
  if (quietUnmanaged.length > 0) {
    out.push(palette.header("Unchanged projects with unmanaged collaborators (prune off):"));
    for (const project of quietUnmanaged) out.push(unchangedWithUnmanaged(project, palette));
    out.push("");
  }

  if (plan.warnings.length > 0) {
    out.push(palette.header("Warnings:"));
    for (const w of plan.warnings) {
      const where = w.source === undefined || w.source === "" ? "" : `  ${palette.dim(`(${w.source})`)}`;
      out.push(`  ${palette.warning("!")} ${w.message}${where}`);
    }
    out.push("");
  }

  const people = perPerson(plan);
  if (people.length > 0) {
    out.push(palette.header("By person:"));
    const width = people.reduce((w, p) => Math.max(w, p.user.length), 0);
    for (const person of people) {
      const items = person.changes.map((item) => {
        const text = describePersonChange(item);
        return item.change.escalation ? `${text} ${palette.escalation("▲")}` : text;
      });
      out.push(`  ${person.user.padEnd(width)}  ${items.join("; ")}`);
    }
    out.push("");
  }

  out.push(palette.header(summaryLine(plan)));
  const notice = selfLockoutNotice(plan);
  if (notice !== undefined) out.push(palette.danger(notice));
  return `${out.join("\n")}\n`;
}
