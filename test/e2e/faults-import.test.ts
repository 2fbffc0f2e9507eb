import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { cliAgainst, DEMO_FILE, workdir } from "./e2e-helpers.js";

describe("faults and rate limits (built CLI against a sandbox process)", () => {
  let sandbox: SandboxProcess;
  const work = workdir({ "collaborators.yaml": DEMO_FILE });
  beforeAll(async () => {
    sandbox = await startSandboxProcess({
      args: ["--fail-rate", "0.2", "--rate-limit", "50", "--random-seed", "7"],
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it("still converges: apply succeeds through retries, and a second plan is empty", async () => {
    const run = cliAgainst(sandbox, work.dir);
    const apply = await run(["apply", "--auto-approve", "--concurrency", "8"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const plan = await run(["plan", "--detailed-exitcode"]);
    expect(plan.code, plan.stderr).toBe(0);
    const stats = await sandbox.stats();
    const answers = Object.values(stats.byEndpoint).flatMap((byStatus) => Object.keys(byStatus));
    // the faults really happened
    expect(answers.some((status) => status !== "200")).toBe(true);
  });
});

describe("import (built CLI against a sandbox process)", () => {
  let sandbox: SandboxProcess;
  const work = workdir();
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it("round-trips: import --all, then plan shows no changes; an existing file is kept without --force", async () => {
    const run = cliAgainst(sandbox, work.dir);
    const imported = await run(["import", "--all", "-o", "imported.yaml"]);
    expect(imported.code, imported.stderr).toBe(0);
    const yaml = readFileSync(join(work.dir, "imported.yaml"), "utf8");
    expect(yaml).toMatch(/^# yaml-language-server/);
    expect(yaml).toContain("# owner: mara_lindqvist");
    const doc = parse(yaml) as { projects: { id: number; collaborators: { user: string }[] }[] };
    const momentum = doc.projects.find((p) => p.id === 21436587);
    expect(momentum?.collaborators.map((c) => c.user)).not.toContain("mara_lindqvist"); // the owner
    // in Vol Surface mara is a collaborator (gina_quant owns it): declared like anybody else
    expect(doc.projects.find((p) => p.id === 21436593)?.collaborators.map((c) => c.user)).toEqual([
      "mara_lindqvist",
    ]);
    expect(yaml).toContain("prune: false");
    const plan = await run(["plan", "-f", "imported.yaml", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes. 7 projects match imported.yaml.");

    const again = await run(["import", "--all", "-o", "imported.yaml"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("--force");
    expect((await run(["import", "--all", "-o", "imported.yaml", "--force"])).code).toBe(0);
  });

  it("imports chosen projects to stdout", async () => {
    const result = await cliAgainst(sandbox, work.dir)(["import", "--project", "21436590"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("id: 21436590");
    expect(result.stdout).toContain("user: kate_audit");
    expect(result.stdout).not.toContain("21436587");
  });
});

describe("--sandbox: the embedded default a newcomer runs first", () => {
  const work = workdir({ "collaborators.yaml": DEMO_FILE });
  afterAll(() => {
    work.cleanup();
  });

  it("plan shows the demo plan, apply converges, a second plan shows no changes", async () => {
    const env = { QC_USER_ID: undefined, QC_API_TOKEN: undefined, CI: "1" };
    const plan = await runCli(["plan", "--sandbox"], { cwd: work.dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/Plan: 3 to add, 1 to change, 1 to remove, in 3 of 5 projects\./);
    const apply = await runCli(["apply", "--sandbox", "--auto-approve"], { cwd: work.dir, env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(existsSync(join(work.dir, ".qc-collab", "sandbox-state.json"))).toBe(true);
    const again = await runCli(["plan", "--sandbox", "--detailed-exitcode"], { cwd: work.dir, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");
  });
});
