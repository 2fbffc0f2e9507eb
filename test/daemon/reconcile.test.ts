import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { startReconciler, type ReconcilerProcess } from "./reconciler-process.js";

let workdir: string;
const running: ReconcilerProcess[] = [];

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), "qc-collab-reconcile-"));
  copyFileSync(join(REPO_ROOT, "collaborators.yaml"), join(workdir, "collaborators.yaml"));
});
afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const reconciler of running.splice(0)) {
    reconciler.signal("SIGKILL");
    await reconciler.exit(2_000);
  }
});

function start(args: readonly string[], env: Record<string, string>): ReconcilerProcess {
  const reconciler = startReconciler(args, { cwd: workdir, env });
  running.push(reconciler);
  return reconciler;
}

function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("reconcile: start-up checks", () => {
  it("an invalid cron expression exits 1 with a clear message, before any API call", async () => {
    const result = await runCli(["reconcile", "--schedule", "61 * * * *"], {
      cwd: workdir,
      timeoutMs: 20_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/E_USAGE.*--schedule "61 \* \* \* \*" is not a valid cron expression/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("needs exactly one of --schedule and --once", async () => {
    const result = await runCli(["reconcile"], { cwd: workdir, timeoutMs: 20_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/exactly one of --schedule CRON or --once/);
  });
});

describe("reconcile --once against a sandbox process", () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it("plan-only reports drift (exit 2), apply converges (exit 0), then no changes (exit 0)", async () => {
    const plan = await runCli(["reconcile", "--once"], {
      cwd: workdir,
      env: sandbox.env(),
      timeoutMs: 20_000,
    });
    expect(plan.stderr).toBe("");
    const planRun = parseLines(plan.stdout).find((line) => line["event"] === "run");
    expect(planRun).toMatchObject({
      outcome: "drift",
      mode: "plan",
      summary: { projects: 5, changedProjects: 3 },
    });
    const summary = planRun?.["summary"] as { create: number; update: number; delete: number };
    const changes = summary.create + summary.update + summary.delete;
    expect(changes).toBeGreaterThanOrEqual(5);
    expect(planRun?.["changes"]).toBe(changes);
    expect(typeof planRun?.["durationMs"]).toBe("number");
    expect(planRun).toHaveProperty("commit");
    expect(plan.code).toBe(2);

    const guarded = await runCli(["reconcile", "--once", "--apply", "--max-deletions", "0"], {
      cwd: workdir,
      env: sandbox.env(),
      timeoutMs: 20_000,
    });
    expect(parseLines(guarded.stdout).find((line) => line["event"] === "run")).toMatchObject({
      outcome: "guard",
      error: { code: "E_GUARD" },
    });
    expect(guarded.code).toBe(4);

    const apply = await runCli(["reconcile", "--once", "--apply"], {
      cwd: workdir,
      env: sandbox.env(),
      timeoutMs: 20_000,
    });
    expect(parseLines(apply.stdout).find((line) => line["event"] === "run")).toMatchObject({
      outcome: "applied",
      changes,
      applied: { applied: changes, failed: 0, skipped: 0 },
    });
    expect(apply.code).toBe(0);
    const journal = readFileSync(join(workdir, ".qc-collab", "journal.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(journal.length).toBeGreaterThanOrEqual(changes);
    expect(journal.map((line) => (JSON.parse(line) as { commit: unknown }).commit)).toContain(null);

    const again = await runCli(["reconcile", "--once"], {
      cwd: workdir,
      env: sandbox.env(),
      timeoutMs: 20_000,
    });
    expect(parseLines(again.stdout).find((line) => line["event"] === "run")).toMatchObject({
      outcome: "no-changes",
      changes: 0,
    });
    expect(again.code).toBe(0);
    expect(JSON.stringify([plan, guarded, apply, again])).not.toContain(sandbox.env()["QC_API_TOKEN"]);
    await sandbox.reset();
  });

  it("--git-pull outside a repository: the run ends in error (logged) and exits 1", async () => {
    const result = await runCli(["reconcile", "--once", "--git-pull"], {
      cwd: workdir,
      env: { ...sandbox.env(), GIT_CEILING_DIRECTORIES: tmpdir() },
      timeoutMs: 20_000,
    });
    const run = parseLines(result.stdout).find((line) => line["event"] === "run");
    expect(run).toMatchObject({ outcome: "error", error: { code: "E_CONFIG_READ" }, commit: null });
    expect((run?.["error"] as { message: string }).message).toMatch(/git pull --ff-only failed/);
    expect(result.code).toBe(1);
  });
});

describe("reconcile --once --git-pull in a real clone", () => {
  let sandbox: SandboxProcess;
  let gitRoot: string;
  const gitEnv = {
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.invalid",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.invalid",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", args, { cwd, env: { ...process.env, ...gitEnv }, encoding: "utf8" }).trim();

  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    gitRoot = mkdtempSync(join(tmpdir(), "qc-collab-git-"));
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(gitRoot, { recursive: true, force: true });
  });

  it("pulls the pushed change before the run and logs its commit", async () => {
    const origin = join(gitRoot, "origin.git");
    git(gitRoot, "init", "--bare", "-q", "-b", "main", origin);
    const author = join(gitRoot, "author");
    git(gitRoot, "clone", "-q", origin, author);
    copyFileSync(join(REPO_ROOT, "collaborators.yaml"), join(author, "collaborators.yaml"));
    git(author, "add", "collaborators.yaml");
    git(author, "commit", "-q", "-m", "first");
    git(author, "push", "-q", "origin", "HEAD:main");
    const deployed = join(gitRoot, "deployed");
    git(gitRoot, "clone", "-q", "-b", "main", origin, deployed);

    // A new commit lands on the remote: Execution Research no longer gains ivan_data.
    const text = readFileSync(join(author, "collaborators.yaml"), "utf8");
    writeFileSync(join(author, "collaborators.yaml"), text.replace(/\n\s+- user: ivan_data\n/, "\n"));
    git(author, "commit", "-q", "-am", "drop ivan_data");
    git(author, "push", "-q", "origin", "HEAD:main");
    const head = git(author, "rev-parse", "HEAD");

    const result = await runCli(["reconcile", "--once", "--git-pull"], {
      cwd: deployed,
      env: { ...sandbox.env(), ...gitEnv },
      timeoutMs: 20_000,
    });
    const run = parseLines(result.stdout).find((line) => line["event"] === "run");
    expect(result.stderr).toBe("");
    expect(run).toMatchObject({ outcome: "drift", commit: head });
    expect(git(deployed, "rev-parse", "HEAD")).toBe(head);
    expect(readFileSync(join(deployed, "collaborators.yaml"), "utf8")).not.toContain("ivan_data");
    expect(run?.["summary"]).toMatchObject({ changedProjects: 2 });
  });
});

describe("reconcile --schedule against a slow sandbox", () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    // Every request takes 700 ms: a run (authenticate-free: read 5 projects, 8 at a time, and one
    // /projects/read for the project named by name) lasts ~1.4 s, longer than the 1 s tick.
    sandbox = await startSandboxProcess({ args: ["--latency", "700"] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it("skips ticks during a run, serves /healthz and /metrics, and stops cleanly on SIGTERM mid-run", async () => {
    const reconciler = start(["--schedule", "*/1 * * * * *", "--health-port", "0"], sandbox.env());
    const listening = await reconciler.waitFor((e) => e.event === "listening", 15_000);
    const base = `http://127.0.0.1:${String(listening["port"])}`;

    const before = await fetch(`${base}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ status: "not-ready", lastRun: null });

    await reconciler.waitFor((e) => e.event === "skipped", 15_000);
    const firstRun = await reconciler.waitFor((e) => e.event === "run", 15_000);
    expect(firstRun).toMatchObject({ outcome: "drift", mode: "plan" });
    expect(firstRun["changes"]).toBeGreaterThanOrEqual(5);
    expect(firstRun["durationMs"]).toBeGreaterThanOrEqual(1_000);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ready",
      outcome: "drift",
      lastRun: { event: "run" },
    });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^qc_collab_runs_total\{outcome="drift"\} [1-9]/m);
    expect(metrics).toMatch(/^qc_collab_runs_total\{outcome="error"\} 0$/m);
    expect(metrics).toMatch(/^qc_collab_ticks_skipped_total [1-9]/m);
    expect(metrics).toMatch(/^qc_collab_drift_detected 1$/m);
    expect(metrics).toMatch(
      /^qc_collab_api_requests_total\{endpoint="collaborationRead",status="200"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^qc_collab_last_success_timestamp_seconds \d+/m);
    expect(metrics).toMatch(/^qc_collab_run_duration_seconds_count\{outcome="drift"\} [1-9]/m);
    expect(metrics).toMatch(/^qc_collab_changes_applied_total\{action="create"\} 0$/m);

    // Each run is exactly one line; skipped ticks are their own lines.
    for (const event of reconciler.events().filter((e) => e.event === "skipped")) {
      expect(event).toMatchObject({ reason: "the previous run is still in progress" });
    }

    // SIGTERM while a run is in progress: the call in flight finishes, the process exits 0.
    await waitUntilRunning(base);
    const signalledAt = Date.now();
    reconciler.signal("SIGTERM");
    const exit = await reconciler.exit(10_000);
    expect(exit).toEqual({ code: 0, signal: null, killed: false });
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    const events = reconciler.events();
    const stopping = events.findIndex((e) => e.event === "stopping");
    expect(events[stopping]).toMatchObject({ signal: "SIGTERM", running: true });
    expect(events.at(-1)?.event).toBe("stopped");
    expect(events.slice(stopping).filter((e) => e.event === "run")).toHaveLength(1);
    expect(reconciler.stderr()).toBe("");
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe("reconcile --once --apply, stopped mid-apply", () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess({ args: ["--latency", "400"] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it("SIGTERM: the write in flight finishes, no new call starts, the run is logged, exit 0", async () => {
    const reconciler = start(["--once", "--apply"], sandbox.env());
    // Wait until apply has begun writing: a lock has been answered.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const stats = await sandbox.stats();
      if (Object.keys(stats.byEndpoint).some((endpoint) => endpoint.includes("lock"))) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const signalledAt = Date.now();
    reconciler.signal("SIGTERM");
    const exit = await reconciler.exit(10_000);
    expect(exit).toEqual({ code: 0, signal: null, killed: false });
    expect(Date.now() - signalledAt).toBeLessThan(3_000); // about one call's latency, not the whole apply
    const run = reconciler.events().find((e) => e.event === "run");
    expect(run).toMatchObject({ outcome: "partial", mode: "apply" });
    const counts = run?.["applied"] as { applied: number; failed: number; skipped: number };
    expect(counts.failed + counts.skipped).toBeGreaterThan(0);
    expect(reconciler.events().at(-1)?.event).toBe("stopped");
    // Nothing half-done: every project is either untouched or has its completed writes.
    const journal = readFileSync(join(workdir, ".qc-collab", "journal.jsonl"), "utf8");
    expect(journal).toContain("E_INTERRUPTED");
  });
});

async function waitUntilRunning(base: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${base}/healthz`)).json()) as { running: boolean };
    if (body.running) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("no run started within 10 s");
}
