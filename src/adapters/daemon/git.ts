import { execFile } from "node:child_process";
import { QcCollabError } from "../../model/errors.js";

interface GitResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function git(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      "git",
      [...args],
      { cwd, timeout: 60_000, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } },
      (error, stdout, stderr) => {
        resolve({
          ok: error === null,
          stdout,
          stderr: error !== null && stderr === "" ? error.message : stderr,
        });
      },
    );
  });
}

/**
 * `git pull --ff-only` in the configuration's directory: pull-based GitOps, never a merge. A
 * failure is a failure to read the configuration (E_CONFIG_READ): the run plans nothing.
 */
export async function gitPullFastForward(cwd: string): Promise<void> {
  const result = await git(["pull", "--ff-only"], cwd);
  if (result.ok) return;
  const lines = result.stderr
    .trim()
    .split("\n")
    .filter((line) => line !== "");
  throw new QcCollabError("E_CONFIG_READ", `git pull --ff-only failed in ${cwd}`, {
    details: lines.slice(-5),
    hint: "the reconciler only fast-forwards: reconcile the branch by hand",
  });
}

/** HEAD of the repository containing `cwd`, or null outside git. */
export async function gitHead(cwd: string): Promise<string | null> {
  const result = await git(["rev-parse", "HEAD"], cwd);
  const sha = result.stdout.trim();
  return result.ok && sha !== "" ? sha : null;
}
