import * as core from "@actions/core";
import { isQcCollabError } from "../../model/errors.js";
import { escapeMarkdown } from "../../report/plan-markdown.js";

/** Appends to the job summary (GITHUB_STEP_SUMMARY); outside a runner there is none, and that is fine. */
export async function writeJobSummary(env: NodeJS.ProcessEnv, markdown: string): Promise<void> {
  if (env["GITHUB_STEP_SUMMARY"] === undefined || env["GITHUB_STEP_SUMMARY"] === "") return;
  await core.summary.addRaw(markdown, true).write();
}

/** The failure as a person reads it in the summary: code, message, details, hint. Never a stack. */
export function failureMarkdown(command: string, error: unknown): string {
  const lines = [`## qc-collab ${command}: failed`, ""];
  if (isQcCollabError(error)) {
    lines.push(`**${error.code}**: ${escapeMarkdown(error.message)}`, "");
    for (const detail of error.details) lines.push(`- ${escapeMarkdown(detail)}`);
    if (error.details.length > 0) lines.push("");
    if (error.hint !== undefined) lines.push(`_hint: ${escapeMarkdown(error.hint)}_`, "");
  } else {
    lines.push(
      `**E_INTERNAL**: ${escapeMarkdown(error instanceof Error ? error.message : String(error))}`,
      "",
    );
  }
  return lines.join("\n");
}

/** The one-paragraph message for core.setFailed. */
export function failureMessage(error: unknown): string {
  if (!isQcCollabError(error)) return `E_INTERNAL: ${error instanceof Error ? error.message : String(error)}`;
  return [
    `${error.code}: ${error.message}`,
    ...error.details.map((d) => `  ${d}`),
    ...(error.hint === undefined ? [] : [`hint: ${error.hint}`]),
  ].join("\n");
}
