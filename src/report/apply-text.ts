import { printableApplyResult } from "./printable.js";
import type { ApplyResult, ChangeResult, ProjectApplyResult } from "../model/apply-result.js";
import { ACTION_SYMBOL, describeChangeAccess } from "./plan-common.js";

const COLOURS = { applied: "\u001b[32m", failed: "\u001b[31m", skipped: "\u001b[33m", reset: "\u001b[0m" };

function changeLine(result: ChangeResult, color: boolean): string {
  const { change, outcome } = result;
  const what =
    change.action === "delete" ? `${describeChangeAccess(change)} (removed)` : describeChangeAccess(change);
  const label = outcome.padEnd(7);
  const tag = color ? `${COLOURS[outcome]}${label}${COLOURS.reset}` : label;
  const why = result.error === undefined ? "" : `  (${result.error.code}: ${result.error.message})`;
  return `  ${tag} ${ACTION_SYMBOL[change.action]} ${change.user}  ${what}${outcome === "failed" ? why : ""}`;
}

function projectBlock(project: ProjectApplyResult, color: boolean): string[] {
  const head = `${project.name} (#${project.projectId}): ${project.outcome}`;
  const lines = [head, ...project.changes.map((c) => changeLine(c, color))];
  const skipped = project.changes.find((c) => c.outcome === "skipped");
  if (project.error !== undefined && project.error.code === "E_VERIFY") {
    lines.push(`  verification failed: ${project.error.message}`);
  } else if (skipped?.error !== undefined && !project.changes.some((c) => c.outcome === "failed")) {
    lines.push(`  ${skipped.error.code}: ${skipped.error.message}`);
  }
  return lines;
}

/** One line that a person, a log and a PR comment can all quote. */
export function applySummaryLine(result: ApplyResult): string {
  if (result.status === "no-changes") return "No changes.";
  const { applied, failed, skipped } = result.counts;
  const projects = result.projects.length;
  const failedProjects = result.projects.filter((p) => p.outcome === "failed").length;
  const verdict =
    result.status === "applied"
      ? "Apply complete"
      : result.status === "partial"
        ? "Apply partly failed"
        : "Apply failed";
  return `${verdict}: ${applied} applied, ${failed} failed, ${skipped} skipped, in ${projects} project${projects === 1 ? "" : "s"} (${failedProjects} failed).`;
}

/** The result table: per project, per change applied / failed / skipped, then the summary line. */
export function renderApplyText(untrusted: ApplyResult, options: { readonly color: boolean }): string {
  if (untrusted.status === "no-changes") return "No changes.\n";
  const result = printableApplyResult(untrusted);
  const blocks = result.projects.map((p) => projectBlock(p, options.color).join("\n"));
  const tail =
    result.journalError === undefined ? [] : [`warning: the journal is incomplete: ${result.journalError}`];
  return `${[...blocks, "", applySummaryLine(result), ...tail].join("\n")}\n`;
}
