import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { context } from "@actions/github";
import { applyPlan } from "../apply/apply-plan.js";
import { openFileJournal } from "../apply/journal.js";
import { journalActor } from "../app/journal-identity.js";
import type { ApplyResult } from "../model/apply-result.js";
import { planFromDesired } from "../app/plan-from-desired.js";
import { loadDesiredFile } from "../desired/load-desired-file.js";
import type { DesiredState } from "../model/desired-state.js";
import { QcCollabError } from "../model/errors.js";
import type { Plan } from "../model/plan.js";
import { serializePlanFile } from "../plan/plan-file.js";
import { renderDiagnosticsGithub } from "../report/diagnostics-github.js";
import { summaryLine } from "../report/plan-common.js";
import { renderPlanMarkdown } from "../report/plan-markdown.js";
import { renderPlanText } from "../report/plan-text.js";
import { renderApplySummaryMarkdown } from "./action/apply-summary.js";
import { syncDriftIssue } from "./action/drift-issue.js";
import { pullRequestOf, type PullRequestRef } from "./action/event.js";
import { createGitHubPort, type GitHubPort } from "./action/github-port.js";
import { parseInputs, type ActionInputs } from "./action/inputs.js";
import { failureMarkdown, failureMessage, writeJobSummary } from "./action/job-summary.js";
import { PLAN_COMMENT_MARKER, upsertPlanComment } from "./action/pr-comment.js";
import { openConnection } from "./connection.js";
import { exitCodeFor, EXIT } from "./exit-codes.js";

/** In RUNNER_TEMP; apply.yml uploads it as the `qc-collab-journal` artifact. */
export const JOURNAL_FILE_NAME = "qc-collab-journal.jsonl";

/** What the Action reads from its surroundings; `process.env` and the runner's files in production. */
export interface ActionEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
}

interface RunContext {
  readonly inputs: ActionInputs;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
  readonly pullRequest: PullRequestRef | undefined;
}

function workspace(env: NodeJS.ProcessEnv): string {
  return env["GITHUB_WORKSPACE"] ?? process.cwd();
}

function github(run: RunContext): GitHubPort {
  if (run.inputs.githubToken === undefined) {
    throw new QcCollabError(
      "E_USAGE",
      "input github-token is empty: it is needed for the comment or the drift issue",
    );
  }
  const [owner = "", repo = ""] = (run.env["GITHUB_REPOSITORY"] ?? "").split("/");
  return createGitHubPort({
    token: run.inputs.githubToken,
    owner,
    repo,
    baseUrl: run.env["GITHUB_API_URL"] ?? "https://api.github.com",
  });
}

/** Validation errors become annotations on the YAML lines (workflow commands on stdout). */
async function loadDesired(run: RunContext): Promise<DesiredState> {
  const result = await loadDesiredFile(run.inputs.config, { cwd: workspace(run.env), now: run.now() });
  const diagnostics = [...result.errors, ...result.warnings];
  if (diagnostics.length > 0) process.stdout.write(renderDiagnosticsGithub(diagnostics));
  if (result.value === undefined || result.errors.length > 0) {
    const n = result.errors.length;
    throw new QcCollabError(
      "E_CONFIG_RULE",
      `${run.inputs.config} is not valid (${n} error${n === 1 ? "" : "s"}, annotated on the file); nothing was sent to QuantConnect`,
      {
        details: result.errors.map(
          (d) => `${d.location.file}:${d.location.line}:${d.location.col} ${d.code}: ${d.message}`,
        ),
      },
    );
  }
  return result.value;
}

// Inputs win over the step's env; left empty, QC_USER_ID / QC_API_TOKEN come from the env, as in the CLI.
function credentialEnv(run: RunContext): NodeJS.ProcessEnv {
  if (run.inputs.userId !== undefined && run.inputs.apiToken !== undefined) {
    return { ...run.env, QC_USER_ID: run.inputs.userId, QC_API_TOKEN: run.inputs.apiToken };
  }
  return run.env;
}

async function makePlan(run: RunContext, desired: DesiredState) {
  const connection = await openConnection({
    env: credentialEnv(run),
    cwd: process.cwd(),
    ...(run.inputs.apiUrl === undefined ? {} : { apiUrl: run.inputs.apiUrl }),
    via: "github-action",
  });
  const result = await planFromDesired({
    desired,
    api: connection.api,
    identity: connection.identity,
    now: run.now(),
  });
  return { ...result, api: connection.api };
}

/**
 * Project names (from QuantConnect) and reasons (from the file) may hold a line break followed by
 * `::command::`, which the runner would execute from the log. Between `::stop-commands::T` and
 * `::T::` (T unguessable) it executes nothing, as GitHub advises for untrusted output.
 */
function logVerbatim(text: string): void {
  const token = randomUUID();
  core.info(`::stop-commands::${token}`);
  core.info(text);
  core.info(`::${token}::`);
}

async function publishPlan(run: RunContext, plan: Plan): Promise<string> {
  const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
  const dir = run.env["RUNNER_TEMP"] ?? tmpdir();
  const planFile = join(dir, `qc-collab-plan-${run.env["GITHUB_RUN_ID"] ?? "local"}.json`);
  await writeFile(planFile, serializePlanFile(plan), "utf8");
  core.setOutput("has-changes", changes > 0 ? "true" : "false");
  core.setOutput("summary", JSON.stringify(plan.summary));
  core.setOutput("plan-file", planFile);
  // The step log gets the terminal rendering; the summary and the comment get markdown.
  core.startGroup(summaryLine(plan));
  logVerbatim(renderPlanText(plan, { color: false }));
  core.endGroup();
  const markdown = renderPlanMarkdown(plan);
  await writeJobSummary(run.env, markdown);
  return markdown;
}

async function commentOnPullRequest(run: RunContext, markdown: string): Promise<void> {
  if (run.pullRequest === undefined || !run.inputs.commentOnPr) return;
  try {
    const result = await upsertPlanComment(
      github(run),
      run.pullRequest.number,
      `${PLAN_COMMENT_MARKER}\n${markdown}`,
    );
    core.info(`plan comment ${result.action} on #${run.pullRequest.number} (comment ${result.commentId})`);
  } catch (error) {
    // The plan itself succeeded; a missing `pull-requests: write` must not hide it.
    core.warning(
      `could not comment the plan on #${run.pullRequest.number}: ${error instanceof Error ? error.message : String(error)} (does the job have permissions: pull-requests: write?)`,
    );
  }
}

async function runDrift(run: RunContext, plan: Plan, markdown: string): Promise<void> {
  const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
  const server = run.env["GITHUB_SERVER_URL"] ?? "https://github.com";
  const runUrl = `${server}/${run.env["GITHUB_REPOSITORY"] ?? ""}/actions/runs/${run.env["GITHUB_RUN_ID"] ?? ""}`;
  const result =
    changes > 0
      ? await syncDriftIssue(github(run), {
          drift: true,
          body: `QuantConnect differs from \`${run.inputs.config}\` (checked ${run.now().toISOString()}, [run](${runUrl})).\n\nApply the file (merge to main, or run the apply workflow), or change the file to match.\n\n${markdown}`,
        })
      : await syncDriftIssue(github(run), {
          drift: false,
          closingComment: `No drift any more: QuantConnect matches \`${run.inputs.config}\` (checked ${run.now().toISOString()}, [run](${runUrl})). Closing.`,
        });
  core.info(
    `drift: ${changes > 0 ? `${changes} change(s)` : "none"}; issue ${result.action}${result.issueNumber === undefined ? "" : ` #${result.issueNumber}`}`,
  );
}

async function runApply(run: RunContext, desired: DesiredState): Promise<void> {
  const { plan, live, api } = await makePlan(run, desired);
  await publishPlan(run, plan);
  const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
  if (changes === 0) {
    core.info("No changes: QuantConnect already matches the file.");
    return;
  }
  // The runner's temp dir is wiped after the job: apply.yml uploads the journal as an artifact.
  const journalPath = join(run.env["RUNNER_TEMP"] ?? tmpdir(), JOURNAL_FILE_NAME);
  const journal = await openFileJournal(journalPath);
  let result: ApplyResult;
  try {
    // Guards (max deletions, self-lockout) throw E_GUARD before any write: exit 4, as in the CLI.
    result = await applyPlan(plan, {
      api,
      live,
      ...(run.inputs.maxDeletions === undefined ? {} : { maxDeletions: run.inputs.maxDeletions }),
      journal,
      actor: journalActor(run.env, undefined),
      commit: run.env["GITHUB_SHA"] ?? null,
    });
  } finally {
    await journal.close();
  }
  core.info(`journal: ${journalPath}`);
  await writeJobSummary(run.env, renderApplySummaryMarkdown(result));
  if (result.status === "partial" || result.status === "failed") {
    throw new QcCollabError(
      "E_APPLY_PARTIAL",
      `apply ${result.status === "failed" ? "failed" : "partly failed"}: ${result.counts.applied} applied, ${result.counts.failed} failed, ${result.counts.skipped} skipped (see the job summary)`,
    );
  }
}

async function runCommand(run: RunContext): Promise<void> {
  const desired = await loadDesired(run);
  const { command } = run.inputs;
  if (command === "validate") {
    await writeJobSummary(run.env, `## qc-collab validate\n\n✅ \`${run.inputs.config}\` is valid.\n`);
    return;
  }
  if (run.pullRequest?.fromFork === true) {
    // GitHub gives fork pull requests no secrets; we never ask for them. Validation above still ran.
    const note = `## qc-collab ${command}\n\nℹ️ This pull request comes from a fork, which gets no repository secrets: \`${run.inputs.config}\` was validated, but no plan was made. A maintainer can run the plan from a branch of this repository.\n`;
    core.notice(
      `${command} skipped: pull requests from forks get no QuantConnect credentials (the file was validated)`,
    );
    await writeJobSummary(run.env, note);
    return;
  }
  if (command === "apply") {
    await runApply(run, desired);
    return;
  }
  const { plan } = await makePlan(run, desired);
  const markdown = await publishPlan(run, plan);
  if (command === "plan") await commentOnPullRequest(run, markdown);
  else await runDrift(run, plan, markdown);
}

/**
 * The GitHub Action (action.yml → dist/index.js): a thin adapter over the same library as the
 * CLI. Errors end the step with setFailed and the CLI's exit code (exit-codes.ts).
 */
export async function runAction(
  environment: ActionEnvironment = { env: process.env, now: () => new Date() },
): Promise<void> {
  const { env } = environment;
  let command = "run";
  try {
    // Mask secrets before anything else can print them.
    const token = core.getInput("api-token");
    if (token.trim() !== "") core.setSecret(token.trim());
    const githubToken = core.getInput("github-token");
    if (githubToken.trim() !== "") core.setSecret(githubToken.trim());
    const inputs = parseInputs((name) => core.getInput(name));
    command = inputs.command;
    const pullRequest = pullRequestOf(context.eventName, context.payload, env["GITHUB_REPOSITORY"] ?? "");
    await runCommand({ inputs, env, now: environment.now, pullRequest });
  } catch (error) {
    core.setFailed(failureMessage(error));
    process.exitCode = exitCodeFor(error);
    try {
      await writeJobSummary(env, failureMarkdown(command, error));
    } catch {
      // The failure is already reported through setFailed.
    }
    return;
  }
  process.exitCode = EXIT.ok;
}
