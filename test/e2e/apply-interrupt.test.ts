import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_PATH } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { cliAgainst, DEMO_FILE, workdir, writeCount } from "./e2e-helpers.js";

interface JournalLine {
  runId: string;
  action: string;
  user: string | null;
  outcome: string;
  error?: { code: string; message: string };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the first signal to the exit. */
  afterSignalMs: number;
}

function journalLines(path: string): JournalLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as JournalLine);
}

/**
 * Runs the built `apply --auto-approve` as a real process and sends SIGINT (`signals` times, 100 ms
 * apart) once the journal shows the first applied change: the writes take 300 ms each, so the
 * others are still to come.
 */
async function applyAndInterrupt(sandbox: SandboxProcess, dir: string, signals: number): Promise<Exit> {
  const journal = join(dir, ".qc-collab", "journal.jsonl");
  const before = journalLines(journal).length;
  const child = spawn(process.execPath, [CLI_PATH, "apply", "--auto-approve", "--concurrency", "1"], {
    cwd: dir,
    env: { ...process.env, ...sandbox.env(), NO_COLOR: "1", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      resolve({ code, signal });
    });
  });
  let signalledAt = 0;
  const poll = setInterval(() => {
    if (signalledAt !== 0) return;
    if (
      !journalLines(journal)
        .slice(before)
        .some((l) => l.outcome === "applied")
    )
      return;
    signalledAt = Date.now();
    child.kill("SIGINT");
    for (let i = 1; i < signals; i += 1) setTimeout(() => child.kill("SIGINT"), 100 * i);
  }, 10);
  const { code, signal } = await exited;
  clearInterval(poll);
  clearTimeout(killer);
  return { code, signal, stdout, stderr, afterSignalMs: Date.now() - signalledAt };
}

describe("Ctrl-C during apply (built CLI against a sandbox process with 300 ms latency)", () => {
  let sandbox: SandboxProcess;
  const work = workdir({ "collaborators.yaml": DEMO_FILE });
  beforeAll(async () => {
    sandbox = await startSandboxProcess({ args: ["--latency", "300"] });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it("finishes the call in flight, skips the rest, journals and reports it, exits 3; a re-run converges", async () => {
    await sandbox.reset();
    const writesBefore = writeCount(await sandbox.stats());
    const exit = await applyAndInterrupt(sandbox, work.dir, 1);
    expect(exit.code, exit.stderr).toBe(3);
    expect(exit.afterSignalMs).toBeLessThan(2_500); // about one call, not the rest of the apply
    expect(exit.stderr).toContain("SIGINT: stopping");
    expect(exit.stderr).toMatch(/Interrupted: \d+ changes? not attempted/);
    expect(exit.stdout).toMatch(/Apply partly failed: \d+ applied, 0 failed, \d+ skipped, in 3 projects/);

    const lines = journalLines(join(work.dir, ".qc-collab", "journal.jsonl"));
    expect(new Set(lines.map((l) => l.runId)).size).toBe(1);
    const changes = lines.filter((l) => l.user !== null);
    expect(changes).toHaveLength(5); // every planned change has its line
    const applied = changes.filter((l) => l.outcome === "applied");
    const skipped = changes.filter((l) => l.outcome === "skipped");
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(applied.length + skipped.length).toBe(5);
    for (const line of skipped) {
      expect(line.error).toEqual({ code: "E_INTERRUPTED", message: "not attempted: interrupted" });
    }
    // What the journal says was applied is exactly what reached the sandbox.
    expect(writeCount(await sandbox.stats()) - writesBefore).toBe(applied.length);

    const run = cliAgainst(sandbox, work.dir);
    const rerun = await run(["apply", "--auto-approve"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(
      new RegExp(`Apply complete: ${skipped.length} applied, 0 failed, 0 skipped`),
    );
    expect((await run(["plan", "--detailed-exitcode"])).code).toBe(0);
  });

  it("a second Ctrl-C exits at once with 130", async () => {
    await sandbox.reset();
    const exit = await applyAndInterrupt(sandbox, work.dir, 2);
    expect(exit.code).toBe(130);
    expect(exit.stderr).toContain("SIGINT again: exiting now");
    expect(exit.stdout).not.toContain("Apply partly failed");
  });
});
