import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { memoryJournal, openFileJournal } from "../../src/apply/journal.js";
import { gateApi } from "../../src/apply/shutdown-gate.js";
import { planFromDesired } from "../../src/app/plan-from-desired.js";
import { applySavedPlan } from "../../src/app/apply-saved-plan.js";
import type { JournalEntry } from "../../src/model/apply-result.js";
import { QcCollabError } from "../../src/model/errors.js";
import type { QuantConnectApi } from "../../src/qc/api.js";
import {
  desiredState,
  makeSeed,
  OWNER,
  READ,
  startTestSandbox,
  WRITE,
  writesIn,
  type TestSandbox,
} from "./fixtures.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const identity = { uid: OWNER.uid };
let sandbox: TestSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Records every call made through the API, in order: a wrapper at the seam the code owns. */
function recording(api: QuantConnectApi, calls: string[]): QuantConnectApi {
  return {
    ...api,
    acquireLock: async (id, source) => {
      calls.push(`lock ${id}`);
      await api.acquireLock(id, source);
    },
    createCollaborator: async (id, user, access) => {
      calls.push(`create ${id} ${user}`);
      return api.createCollaborator(id, user, access);
    },
    updateCollaborator: async (id, user, access) => {
      calls.push(`update ${id} ${user}`);
      return api.updateCollaborator(id, user, access);
    },
    deleteCollaborator: async (id, user) => {
      calls.push(`delete ${id} ${user}`);
      return api.deleteCollaborator(id, user);
    },
  };
}

describe("applyPlan against a sandbox", () => {
  it("locks first, runs creates and updates before deletes, verifies and converges", async () => {
    sandbox = await startTestSandbox(
      makeSeed([
        {
          projectId: 1,
          name: "One",
          collaborators: [
            { publicId: "ann", access: READ },
            { publicId: "ben", access: READ },
          ],
        },
      ]),
    );
    // ann is removed (prune), ben upgraded, cat added: the plan lists the delete first in file order
    const desired = desiredState([
      { id: 1, prune: true, grants: [{ user: "ben", permission: "write" }, { user: "cat" }] },
    ]);
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const calls: string[] = [];
    const journal = memoryJournal();
    const result = await applyPlan(plan, {
      api: recording(sandbox.api, calls),
      live,
      journal,
      actor: "tester",
      commit: "abc",
    });
    expect(calls[0]).toBe("lock 1");
    expect(calls.slice(1, 3).sort()).toEqual(["create 1 cat", "update 1 ben"]);
    expect(calls[3]).toBe("delete 1 ann");
    expect(result.status).toBe("applied");
    expect(result.counts).toEqual({ applied: 3, failed: 0, skipped: 0 });
    expect(result.projects[0]?.verified).toBe(true);
    expect(journal.entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "lock:ok",
      ...calls.slice(1).map((c) => `${c.split(" ")[0] ?? ""}:applied`),
      "verify:ok",
    ]);
    expect(await sandbox.collaborators(1)).toEqual(
      expect.arrayContaining([
        { publicId: "ben", permission: "write", liveControl: false },
        { publicId: "cat", permission: "read", liveControl: false },
      ]),
    );
    const again = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it("keeps at most `concurrency` projects in flight, and uses them", async () => {
    const projects = Array.from({ length: 9 }, (_, i) => ({ projectId: 100 + i, name: `P${i}` }));
    sandbox = await startTestSandbox(makeSeed(projects), { latencyMs: 15 });
    const desired = desiredState(
      projects.map((p) => ({ id: p.projectId, grants: [{ user: "ann" }, { user: "ben" }] })),
    );
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    let inFlight = 0;
    let peak = 0;
    const active = new Set<number>();
    const base = sandbox.api;
    const track = async <T>(id: number, call: () => Promise<T>): Promise<T> => {
      if (!active.has(id)) {
        active.add(id);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
      }
      return call();
    };
    const api: QuantConnectApi = {
      ...base,
      acquireLock: (id, s) => track(id, () => base.acquireLock(id, s)),
      createCollaborator: (id, u, a) => track(id, () => base.createCollaborator(id, u, a)),
    };
    const result = await applyPlan(plan, {
      api,
      live,
      concurrency: 3,
      onProgress: (e) => {
        if (e.kind === "project-done") {
          active.delete(e.result.projectId);
          inFlight -= 1;
        }
      },
    });
    expect(result.status).toBe("applied");
    expect(peak).toBe(3);
    expect(result.counts.applied).toBe(18);
  });

  it("isolates a project whose lock is held by another source: its changes are skipped, others applied", async () => {
    const far = Date.now() + 3_600_000;
    sandbox = await startTestSandbox(
      makeSeed(
        [
          { projectId: 1, name: "One" },
          { projectId: 2, name: "Two" },
          { projectId: 3, name: "Three" },
        ],
        [
          {
            projectId: 2,
            uid: OWNER.uid,
            codeSourceId: "someone-else",
            acquiredAtMs: Date.now(),
            expiresAtMs: far,
          },
        ],
      ),
    );
    const desired = desiredState([1, 2, 3].map((id) => ({ id, grants: [{ user: "ann" }, { user: "ben" }] })));
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const result = await applyPlan(plan, { api: sandbox.api, live });
    expect(result.status).toBe("partial");
    const two = result.projects.find((p) => p.projectId === 2);
    expect(two?.outcome).toBe("failed");
    expect(two?.changes.map((c) => c.outcome)).toEqual(["skipped", "skipped"]);
    expect(two?.error?.code).toBe("E_LOCK");
    expect(result.projects.filter((p) => p.outcome === "applied").map((p) => p.projectId)).toEqual([1, 3]);
    expect(await sandbox.collaborators(2)).toEqual([]);
  });

  it("stops a project at its first failed call and skips the rest of it", async () => {
    sandbox = await startTestSandbox(
      makeSeed([{ projectId: 1, name: "One", collaborators: [{ publicId: "dan", access: READ }] }]),
    );
    const desired = desiredState([
      { id: 1, prune: true, grants: [{ user: "ann" }, { user: "bad_user" }, { user: "ben" }] },
    ]);
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const result = await applyPlan(plan, { api: sandbox.api, live });
    const outcomes = result.projects[0]?.changes.map(
      (c) => `${c.change.action} ${c.change.user} ${c.outcome}`,
    );
    expect(outcomes).toEqual([
      "create ann applied",
      "create bad_user failed",
      "create ben skipped",
      "delete dan skipped",
    ]);
    expect(result.status).toBe("partial");
    // nobody lost access because a grant failed: the delete never ran
    expect((await sandbox.collaborators(1)).map((c) => c.publicId).sort()).toEqual(["ann", "dan"]);
  });

  describe("interrupted through the shutdown gate", () => {
    async function interruptedRun(stopDuring: "lock" | "create") {
      sandbox = await startTestSandbox(makeSeed([1, 2, 3].map((id) => ({ projectId: id, name: `P${id}` }))));
      const desired = desiredState(
        [1, 2, 3].map((id) => ({ id, grants: [{ user: "ann" }, { user: "ben" }] })),
      );
      const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
      let stopping = false;
      const base = sandbox.api;
      // The signal arrives while the first call of that kind is in flight: that call still finishes.
      const inFlight: QuantConnectApi = {
        ...base,
        acquireLock: (id, s) => {
          if (stopDuring === "lock") stopping = true;
          return base.acquireLock(id, s);
        },
        createCollaborator: (id, u, a) => {
          if (stopDuring === "create") stopping = true;
          return base.createCollaborator(id, u, a);
        },
      };
      const journal = memoryJournal();
      const result = await applyPlan(plan, {
        api: gateApi(inFlight, () => stopping, "interrupted"),
        live,
        concurrency: 1,
        journal,
      });
      return { result, journal: journal.entries, sandbox };
    }

    it("finishes the call in flight, skips every change not started, journals each skip", async () => {
      const { result, journal, sandbox: sb } = await interruptedRun("create");
      const outcomes = result.projects.map((p) => p.changes.map((c) => `${c.change.user} ${c.outcome}`));
      expect(outcomes).toEqual([
        ["ann applied", "ben skipped"],
        ["ann skipped", "ben skipped"],
        ["ann skipped", "ben skipped"],
      ]);
      expect(result.status).toBe("partial");
      expect(result.counts).toEqual({ applied: 1, failed: 0, skipped: 5 });
      const skipped = result.projects.flatMap((p) => p.changes).filter((c) => c.outcome === "skipped");
      expect(skipped.map((c) => c.error)).toEqual(
        Array.from({ length: 5 }, () => ({ code: "E_INTERRUPTED", message: "not attempted: interrupted" })),
      );
      expect(journal.map((e) => `${e.projectId} ${e.action} ${e.outcome}`)).toEqual([
        "1 lock ok",
        "1 create applied",
        "1 create skipped",
        "2 create skipped",
        "2 create skipped",
        "3 create skipped",
        "3 create skipped",
      ]);
      expect(await sb.collaborators(2)).toEqual([]);
    });

    it("with nothing written yet, every change is skipped and the run counts as failed", async () => {
      const { result, journal } = await interruptedRun("lock");
      expect(result.status).toBe("failed");
      expect(result.counts).toEqual({ applied: 0, failed: 0, skipped: 6 });
      expect(result.projects.map((p) => p.error?.code)).toEqual([
        "E_INTERRUPTED",
        "E_INTERRUPTED",
        "E_INTERRUPTED",
      ]);
      expect(journal.filter((e) => e.action === "lock").map((e) => e.outcome)).toEqual(["ok"]);
    });
  });

  it("fails verification when somebody else changed the project between plan and apply", async () => {
    sandbox = await startTestSandbox(makeSeed([{ projectId: 1, name: "One" }]));
    const desired = desiredState([{ id: 1, grants: [{ user: "ann" }] }]);
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    await sandbox.api.createCollaborator(1, "eve", WRITE); // a concurrent edit outside the plan
    const journal = memoryJournal();
    const result = await applyPlan(plan, { api: sandbox.api, live, journal });
    expect(result.projects[0]?.outcome).toBe("failed");
    expect(result.projects[0]?.verified).toBe(false);
    expect(result.projects[0]?.error?.code).toBe("E_VERIFY");
    expect(result.projects[0]?.error?.message).toContain("eve: expected absent, found write");
    expect(journal.entries.at(-1)).toMatchObject({ action: "verify", outcome: "mismatch" });
  });

  it("ignores unmanaged collaborators (prune off) in verification: the plan promised to leave them alone", async () => {
    sandbox = await startTestSandbox(
      makeSeed([{ projectId: 1, name: "One", collaborators: [{ publicId: "dan", access: READ }] }]),
    );
    const desired = desiredState([{ id: 1, grants: [{ user: "ann" }] }]);
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    expect(plan.projects[0]?.unmanaged.map((u) => u.user)).toEqual(["dan"]);
    await sandbox.api.updateCollaborator(1, "dan", WRITE); // somebody edits the unmanaged user meanwhile
    const result = await applyPlan(plan, { api: sandbox.api, live });
    expect(result.projects[0]).toMatchObject({ outcome: "applied", verified: true });
  });

  it("stops at the max-deletions guard before any call, naming the removals and the override", async () => {
    sandbox = await startTestSandbox(
      makeSeed([
        {
          projectId: 1,
          name: "One",
          collaborators: ["ann", "ben", "cat"].map((publicId) => ({ publicId, access: READ })),
        },
      ]),
    );
    const desired = desiredState([{ id: 1, name: "One", prune: true, grants: [] }], { maxDeletions: 2 });
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const before = await sandbox.stats();
    const error = await applyPlan(plan, { api: sandbox.api, live }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QcCollabError);
    const guard = error as QcCollabError;
    expect(guard.code).toBe("E_GUARD");
    expect(guard.details.join("\n")).toContain("limit of 2");
    expect(guard.details.join("\n")).toContain('remove ann from "One" (#1)');
    expect(guard.hint).toContain("--max-deletions 3");
    const after = await sandbox.stats();
    expect(after.total).toBe(before.total);
    // the override lets it through
    const ok = await applyPlan(plan, { api: sandbox.api, live, maxDeletions: 3 });
    expect(ok.status).toBe("applied");
    expect(writesIn(await sandbox.stats())).toBe(3);
  });

  it("refuses to remove the authenticated user (self-lockout) before any call", async () => {
    sandbox = await startTestSandbox(
      makeSeed([{ projectId: 1, name: "One", collaborators: [{ publicId: "ann", access: WRITE }] }]),
    );
    const desired = desiredState([{ id: 1, prune: true, grants: [] }]);
    // the credentials' user is ann here: she is a collaborator, not the owner
    const { plan, live } = await planFromDesired({
      desired,
      api: sandbox.api,
      identity: { uid: 10 },
      now: NOW,
    });
    const error = (await applyPlan(plan, { api: sandbox.api, live }).catch(
      (e: unknown) => e,
    )) as QcCollabError;
    expect(error.code).toBe("E_GUARD");
    expect(error.details.join("\n")).toContain("ann");
    expect(writesIn(await sandbox.stats())).toBe(0);
  });

  it("writes one JSON line per operation with actor and commit, and never a secret", async () => {
    sandbox = await startTestSandbox(
      makeSeed([
        { projectId: 1, name: "One" },
        { projectId: 2, name: "Two" },
      ]),
    );
    const desired = desiredState([
      { id: 1, grants: [{ user: "ann", permission: "write", liveControl: true }] },
      { id: 2, grants: [{ user: "no_such_user" }] },
    ]);
    const { plan, live } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const path = join(sandbox.dir, "deep", "journal.jsonl");
    const journal = await openFileJournal(path);
    await applyPlan(plan, {
      api: sandbox.api,
      live,
      journal,
      actor: "octocat",
      commit: "deadbeef",
      runId: "run-1",
    });
    await journal.close();
    const text = await readFile(path, "utf8");
    expect(text).not.toContain(OWNER.token);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as JournalEntry);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).toMatchObject({ runId: "run-1", actor: "octocat", commit: "deadbeef" });
      expect(Date.parse(line.time)).not.toBeNaN();
    }
    expect(lines.find((l) => l.action === "create" && l.projectId === 1)).toMatchObject({
      user: "ann",
      before: null,
      after: { permission: "write", liveControl: true },
      outcome: "applied",
    });
    const failed = lines.find((l) => l.outcome === "failed");
    expect(failed).toMatchObject({ projectId: 2, user: "no_such_user", error: { code: "E_API" } });
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe("applySavedPlan", () => {
  it("refuses a stale plan, naming the project that moved, and writes nothing", async () => {
    sandbox = await startTestSandbox(
      makeSeed([
        { projectId: 1, name: "One" },
        { projectId: 2, name: "Two" },
      ]),
    );
    const desired = desiredState([
      { id: 1, grants: [{ user: "ann" }] },
      { id: 2, name: "Two", grants: [{ user: "ben" }] },
    ]);
    const { plan } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    await sandbox.api.createCollaborator(2, "eve", READ);
    const writes = writesIn(await sandbox.stats());
    const error = (await applySavedPlan(plan, { api: sandbox.api }).catch(
      (e: unknown) => e,
    )) as QcCollabError;
    expect(error.code).toBe("E_STALE_PLAN");
    expect(error.details.join("\n")).toContain('"Two" (#2)');
    expect(error.details.join("\n")).not.toContain("#1");
    expect(writesIn(await sandbox.stats())).toBe(writes);
  });

  it("applies a fresh saved plan with one read per project", async () => {
    sandbox = await startTestSandbox(
      makeSeed([
        { projectId: 1, name: "One" },
        { projectId: 2, name: "Two" },
      ]),
    );
    const desired = desiredState([
      { id: 1, grants: [{ user: "ann" }] },
      { id: 2, grants: [] },
    ]);
    const { plan } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    const readsBefore = (await sandbox.stats()).byEndpoint["/projects/collaboration/read"]?.["200"] ?? 0;
    const result = await applySavedPlan(plan, { api: sandbox.api });
    expect(result.status).toBe("applied");
    const readsAfter = (await sandbox.stats()).byEndpoint["/projects/collaboration/read"]?.["200"] ?? 0;
    expect(readsAfter - readsBefore).toBe(2);
  });
});
