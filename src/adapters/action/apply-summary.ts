import type { ApplyResult, ChangeResult } from "../../model/apply-result.js";
import type { Access } from "../../model/access.js";
import { applySummaryLine } from "../../report/apply-text.js";
import { escapeMarkdown } from "../../report/plan-markdown.js";

const ICON = { applied: "✅ applied", failed: "❌ failed", skipped: "⏭️ skipped" } as const;
const SIGN = { create: "+", update: "~", delete: "-" } as const;

function access(a: Access | null): string {
  return a === null ? "" : `${a.permission}${a.liveControl ? " + live control" : ""}`;
}

function row(result: ChangeResult): string {
  const { change } = result;
  const what =
    change.action === "create"
      ? access(change.after)
      : change.action === "update"
        ? `${access(change.before)} → ${access(change.after)}`
        : `was ${access(change.before)}`;
  const why =
    result.error === undefined ? "" : `${result.error.code}: ${escapeMarkdown(result.error.message)}`;
  return `| ${ICON[result.outcome]} | ${SIGN[change.action]} \`${change.user.replace(/`/g, "'")}\` | ${what} | ${why} |`;
}

/** The job summary of an apply: what was applied, failed or skipped, per project. */
export function renderApplySummaryMarkdown(result: ApplyResult): string {
  const lines = ["## qc-collab apply", "", `**${applySummaryLine(result)}**`, ""];
  for (const project of result.projects) {
    lines.push(`### ${escapeMarkdown(project.name)} (#${project.projectId}): ${project.outcome}`, "");
    if (project.error !== undefined)
      lines.push(`> ${project.error.code}: ${escapeMarkdown(project.error.message)}`, "");
    lines.push("| outcome | change | access | error |", "|---|---|---|---|", ...project.changes.map(row), "");
  }
  if (result.journalError !== undefined)
    lines.push(`> ⚠️ the journal is incomplete: ${escapeMarkdown(result.journalError)}`, "");
  return `${lines.join("\n")}\n`;
}
