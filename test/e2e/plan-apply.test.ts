import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { cliAgainst, demoSeed, DEMO_FILE, secretsOf, workdir, writeCount } from "./e2e-helpers.js";

// One sandbox process for the file, reset to the demo organisation before each test.
let sandbox: SandboxProcess;
const work = workdir({ "collaborators.yaml": DEMO_FILE });
const cli = () => cliAgainst(sandbox, work.dir);

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox.stop();
  work.cleanup();
});
beforeEach(async () => {
  await sandbox.reset();
});

const collaboratorsOf = async (projectId: number) =>
  (await sandbox.state()).projects.find((p) => p.projectId === projectId)?.collaborators ?? [];

interface PlanJson {
  summary: { delete: number };
  projects: {
    projectId: number;
    changes: { action: string; user: string }[];
    unmanaged: { user: string }[];
  }[];
}

/** Momentum Alpha keeps only alice_q, Mean Reversion only alice_q: three undeclared collaborators. */
function prunedFile(maxDeletions: number, prune: boolean): string {
  return [
    "version: 1",
    "settings:",
    `  prune: ${prune}`,
    `  maxDeletions: ${maxDeletions}`,
    "projects:",
    "  - id: 21436587",
    "    collaborators:",
    "      - { user: alice_q, permission: write, liveControl: true }",
    "  - id: 21436588",
    "    collaborators:",
    "      - { user: alice_q, permission: write }",
    "",
  ].join("\n");
}

describe("plan, apply, re-plan (built CLI against a sandbox process)", () => {
  it("plans the demo, applies it, and a second plan is empty; the journal holds no secret", async () => {
    const run = cli();
    const plan = await run(["plan", "--detailed-exitcode"]);
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/Plan: 3 to add, 1 to change, 1 to remove, in 3 of 5 projects\./);

    const json = await run(["plan", "--format", "json"]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { summary: { delete: number; changedProjects: number } };
    expect(parsed.summary).toMatchObject({ delete: 1, changedProjects: 3 });

    const apply = await run(["apply", "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/Apply complete: 5 applied, 0 failed, 0 skipped, in 3 projects/);

    const again = await run(["plan", "--detailed-exitcode"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");

    // prune on (Stat Arb Pairs): the undeclared collaborator is gone; prune off: unmanaged ones stay
    expect((await collaboratorsOf(21436589)).map((c) => c.publicId)).not.toContain("leo_contractor");
    expect((await collaboratorsOf(21436592)).map((c) => c.publicId)).toEqual(["jun_intern"]);

    const journal = readFileSync(join(work.dir, ".qc-collab", "journal.jsonl"), "utf8");
    const lines = journal
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l["action"] === "verify").every((l) => l["outcome"] === "ok")).toBe(true);
    for (const secret of secretsOf(demoSeed())) {
      expect(journal).not.toContain(secret);
      expect(apply.stdout + apply.stderr).not.toContain(secret);
    }
  });

  it("prune on removes undeclared users but never the owner; prune off keeps them", async () => {
    const dir = workdir({ "pruned.yaml": prunedFile(50, true), "kept.yaml": prunedFile(50, false) });
    try {
      const run = cliAgainst(sandbox, dir.dir);
      const kept = await run(["plan", "-f", "kept.yaml", "--format", "json"]);
      const keptPlan = JSON.parse(kept.stdout) as PlanJson;
      expect(keptPlan.summary.delete).toBe(0);
      expect(keptPlan.projects.flatMap((p) => p.unmanaged.map((u) => u.user)).sort()).toEqual([
        "bob_trader",
        "carol_dev",
        "dave_ops",
      ]);

      const plan = await run(["plan", "-f", "pruned.yaml", "--format", "json"]);
      const parsed = JSON.parse(plan.stdout) as PlanJson;
      const deletes = parsed.projects.flatMap((p) =>
        p.changes.filter((c) => c.action === "delete").map((c) => c.user),
      );
      expect(deletes.sort()).toEqual(["bob_trader", "carol_dev", "dave_ops"]);
      const apply = await run(["apply", "-f", "pruned.yaml", "--auto-approve"]);
      expect(apply.code, apply.stderr).toBe(0);
      expect((await collaboratorsOf(21436587)).map((c) => c.publicId)).toEqual(["alice_q"]);
      const replan = await run(["plan", "-f", "pruned.yaml", "--detailed-exitcode"]);
      expect(replan.code).toBe(0);
    } finally {
      dir.cleanup();
    }
  });

  it("max-deletions stops apply before any write (exit 4) and names the override", async () => {
    const dir = workdir({ "strict.yaml": prunedFile(1, true) });
    try {
      const before = writeCount(await sandbox.stats());
      const apply = await cliAgainst(sandbox, dir.dir)(["apply", "-f", "strict.yaml", "--auto-approve"]);
      expect(apply.code).toBe(4);
      expect(apply.stderr).toContain("E_GUARD");
      expect(apply.stderr).toContain("limit of 1");
      expect(apply.stderr).toContain("--max-deletions 3");
      expect(writeCount(await sandbox.stats())).toBe(before);
    } finally {
      dir.cleanup();
    }
  });

  it("self-lockout: a plan that removes the authenticated user is refused with exit 4, nothing written", async () => {
    // Vol Surface is owned by gina_quant; the demo user mara_lindqvist is a collaborator there.
    const file = [
      "version: 1",
      "projects:",
      "  - id: 21436593",
      "    prune: true",
      "    collaborators:",
      "      - user: alice_q",
      "",
    ].join("\n");
    const dir = workdir({ "self.yaml": file });
    try {
      const before = (await sandbox.stats()).total;
      const run = cliAgainst(sandbox, dir.dir);
      const plan = await run(["plan", "-f", "self.yaml"]);
      expect(plan.stdout).toContain("self-lockout");
      const apply = await run(["apply", "-f", "self.yaml", "--auto-approve"]);
      expect(apply.code).toBe(4);
      expect(apply.stderr).toContain("mara_lindqvist");
      const stats = await sandbox.stats();
      expect(writeCount(stats)).toBe(0);
      expect(stats.total - before).toBe(2); // the two collaboration reads of the two runs, nothing else
    } finally {
      dir.cleanup();
    }
  });

  it("an invalid file exits 1 with a located message and makes zero API calls", async () => {
    const dir = workdir({ "bad.yaml": "version: 1\nprojects:\n  - id: 21436587\n    colaborators: []\n" });
    try {
      const before = (await sandbox.stats()).total;
      const run = cliAgainst(sandbox, dir.dir);
      for (const args of [
        ["plan", "-f", "bad.yaml"],
        ["apply", "-f", "bad.yaml", "--auto-approve"],
      ]) {
        const result = await run(args);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/bad\.yaml:\d+:\d+/);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect((await sandbox.stats()).total).toBe(before);
    } finally {
      dir.cleanup();
    }
  });

  it("apply without a terminal and without --auto-approve refuses before any write", async () => {
    const apply = await cli()(["apply"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("--auto-approve");
    expect(writeCount(await sandbox.stats())).toBe(0);
  });
});
