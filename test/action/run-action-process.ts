import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/run-cli.js";

export const ACTION_ENTRY = join(REPO_ROOT, "dist", "index.js");
export const REPOSITORY = "acme/access";

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The GITHUB_OUTPUT file, parsed (heredoc form `name<<DELIM`). */
  readonly outputs: Record<string, string>;
  /** What the step appended to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** RUNNER_TEMP of this run (plan file, journal). */
  readonly runnerTemp: string;
}

export interface ActionRunOptions {
  readonly workspace: string;
  /** action.yml input names as written there (`api-token`, `comment-on-pr`...). */
  readonly inputs: Record<string, string>;
  readonly eventName: string;
  readonly event: object;
  readonly githubApiUrl: string;
  readonly extraEnv?: Record<string, string>;
}

/** GITHUB_OUTPUT uses `name<<DELIMITER\nvalue\nDELIMITER` (@actions/core's file command). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

/**
 * Runs the BUNDLED action (dist/index.js) the way the runner does: a node process with GITHUB_*
 * variables, an event file, output and summary files, and INPUT_<NAME> for each input (upper-cased,
 * spaces to underscores, hyphens kept). Nothing of the test's own environment leaks in (when the
 * suite itself runs in GitHub Actions, its GITHUB_* must not).
 */
export function runActionProcess(options: ActionRunOptions): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(join(tmpdir(), "qc-collab-runner-"));
  const eventPath = join(runnerTemp, "event.json");
  const outputPath = join(runnerTemp, "output.txt");
  const summaryPath = join(runnerTemp, "summary.md");
  writeFileSync(eventPath, JSON.stringify(options.event));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    HOME: runnerTemp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.githubApiUrl,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "4242",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_ACTOR: "octo-maintainer",
    RUNNER_TEMP: runnerTemp,
    ...options.extraEnv,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION_ENTRY], {
      cwd: options.workspace,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputPath, "utf8")),
        summary: existsSync(summaryPath) ? readFileSync(summaryPath, "utf8") : "",
        runnerTemp,
      });
    });
  });
}

/** A pull_request event as GitHub writes it to GITHUB_EVENT_PATH (the fields the Action reads). */
export function pullRequestEvent(number: number, headRepository: string): object {
  return {
    action: "synchronize",
    number,
    pull_request: {
      number,
      head: { ref: "change-access", repo: { full_name: headRepository } },
      base: { ref: "main", repo: { full_name: REPOSITORY } },
    },
    repository: { full_name: REPOSITORY, name: "access", owner: { login: "acme" } },
  };
}
