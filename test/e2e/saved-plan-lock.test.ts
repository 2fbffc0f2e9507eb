import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { cliAgainst, demoSeed, DEMO_FILE, workdir, writeCount } from "./e2e-helpers.js";

const OTHER_FILE = [
  "version: 1",
  "projects:",
  "  - id: 21436589",
  "    collaborators:",
  "      - user: jun_intern",
  "",
].join("\n");

describe("saved plans (built CLI against a sandbox process)", () => {
  let sandbox: SandboxProcess;
  const work = workdir({ "collaborators.yaml": DEMO_FILE, "other.yaml": OTHER_FILE });
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it("refuses a stale plan, naming the project that moved, and writes nothing", async () => {
    await sandbox.reset();
    const run = cliAgainst(sandbox, work.dir);
    const plan = await run(["plan", "--out", "stale.json"]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain("Saved the plan to stale.json");
    // somebody changes Stat Arb Pairs between the review and the apply
    expect((await run(["apply", "-f", "other.yaml", "--auto-approve"])).code).toBe(0);
    const before = writeCount(await sandbox.stats());
    const apply = await run(["apply", "stale.json", "--auto-approve"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("E_STALE_PLAN");
    expect(apply.stderr).toContain('"Stat Arb Pairs" (#21436589)');
    expect(apply.stderr).not.toContain("Momentum Alpha");
    expect(writeCount(await sandbox.stats())).toBe(before);
  });

  it("applies a fresh saved plan exactly, and refuses one edited by hand", async () => {
    await sandbox.reset();
    const run = cliAgainst(sandbox, work.dir);
    expect((await run(["plan", "--out", "fresh.json"])).code).toBe(0);
    const path = join(work.dir, "fresh.json");
    const text = readFileSync(path, "utf8");
    writeFileSync(
      join(work.dir, "edited.json"),
      text.replace('"permission": "read"', '"permission": "write"'),
    );
    const edited = await run(["apply", "edited.json", "--auto-approve"]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain("E_PLAN_FILE");
    expect(writeCount(await sandbox.stats())).toBe(0);

    const apply = await run(["apply", "fresh.json", "--auto-approve", "--format", "json"]);
    expect(apply.code, apply.stderr).toBe(0);
    const result = JSON.parse(apply.stdout) as { result: { status: string; counts: { applied: number } } };
    expect(result.result.status).toBe("applied");
    expect((await run(["plan", "--detailed-exitcode"])).code).toBe(0);
  });
});

describe("lock contention (built CLI against a sandbox process)", () => {
  let sandbox: SandboxProcess;
  const work = workdir({ "collaborators.yaml": DEMO_FILE });
  beforeAll(async () => {
    const seed = demoSeed();
    const now = Date.now();
    // Another tool (same account, another codeSourceId) holds the lock of Stat Arb Pairs for an hour.
    const lock = {
      projectId: 21436589,
      uid: 100001,
      codeSourceId: "someone-else",
      acquiredAtMs: now,
      expiresAtMs: now + 3_600_000,
    };
    sandbox = await startSandboxProcess({ seed: { ...seed, locks: [lock] } });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it("fails only the locked project (exit 3); the others are applied and verified", async () => {
    const run = cliAgainst(sandbox, work.dir);
    const apply = await run(["apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(3);
    expect(apply.stdout).toMatch(/Stat Arb Pairs \(#21436589\): failed/);
    expect(apply.stdout).toContain("E_LOCK");
    expect(apply.stdout).toMatch(/Momentum Alpha \(#21436587\): applied/);
    expect(apply.stdout).toMatch(/Execution Research \(#21436591\): applied/);
    expect(apply.stdout).toMatch(/Apply partly failed: \d+ applied, 0 failed, 1 skipped/);
    const state = await sandbox.state();
    const statArb = state.projects.find((p) => p.projectId === 21436589);
    expect(statArb?.collaborators.map((c) => c.publicId)).toContain("leo_contractor");

    // what is left is exactly the locked project
    const plan = await run(["plan", "--format", "json"]);
    const parsed = JSON.parse(plan.stdout) as { projects: { projectId: number; changes: unknown[] }[] };
    expect(parsed.projects.filter((p) => p.changes.length > 0).map((p) => p.projectId)).toEqual([21436589]);
  });
});
