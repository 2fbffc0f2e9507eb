import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build-plan.js";
import { resolveProjects } from "../../src/plan/resolve-projects.js";
import { fingerprintCollaborators } from "../../src/plan/fingerprint.js";
import {
  NOW,
  OWNER,
  READ,
  READ_LIVE,
  WRITE,
  WRITE_LIVE,
  direct,
  grant,
  live,
  planOne,
  project,
  viaTeam,
} from "./fixtures/builders.js";
import { demoDesired, demoIdentity, demoListed, demoLive, demoTool, withLive } from "./fixtures/demo-org.js";

function changesOf(plan: ReturnType<typeof planOne>) {
  return plan.projects[0]?.changes ?? [];
}

describe("buildPlan on the demo organisation", () => {
  const { resolved } = resolveProjects(demoDesired, demoListed);
  const plan = buildPlan({
    desired: demoDesired,
    projects: withLive(resolved),
    identity: demoIdentity,
    now: NOW,
    tool: demoTool,
  });

  it("plans exactly the expected changes", () => {
    const compact = plan.projects.map((p) => [
      p.name,
      p.changes.map((c) => `${c.action} ${c.user} ${c.after?.permission ?? ""}`.trim()),
    ]);
    expect(compact).toEqual([
      ["Momentum Alpha", ["create farid_ml write", "create gina_quant read", "update carol_dev write"]],
      ["Mean Reversion", []],
      ["Stat Arb Pairs", ["create carol_dev write", "delete leo_contractor"]],
      ["Risk Dashboard", []],
      ["Execution Research", ["create ivan_data read"]],
    ]);
    expect(plan.summary).toEqual({ create: 4, update: 1, delete: 1, projects: 5, changedProjects: 3 });
  });

  it("cites the deciding YAML line and the reason", () => {
    const momentum = plan.projects[0];
    expect(momentum?.changes.find((c) => c.user === "carol_dev")).toMatchObject({
      source: "collaborators.yaml:24",
    });
    expect(momentum?.changes.find((c) => c.user === "gina_quant")).toMatchObject({
      source: "collaborators.yaml:35",
      reason: "reviews signals before the Q1 launch",
    });
    expect(plan.projects[2]?.changes.find((c) => c.user === "leo_contractor")?.source).toBe(
      "not declared, prune on",
    );
  });

  it("marks escalations", () => {
    const escalated = plan.projects.flatMap((p) =>
      p.changes.filter((c) => c.escalation).map((c) => `${p.projectId}:${c.user}`),
    );
    expect(escalated).toEqual(["21436587:farid_ml", "21436587:carol_dev", "21436589:carol_dev"]);
  });

  it("carries contract metadata, fingerprints and the expiry warning", () => {
    expect(plan).toMatchObject({
      formatVersion: 1,
      createdAt: "2027-03-20T09:30:00.000Z",
      tool: demoTool,
      configDigest: demoDesired.digest,
      configFile: "collaborators.yaml",
      settings: { lock: true, codeSourceId: "qc-collab", maxDeletions: 5 },
    });
    expect(plan.projects[0]?.fingerprint).toBe(fingerprintCollaborators(demoLive.get(21436587) ?? []));
    expect(plan.warnings).toEqual([
      {
        code: "W_EXPIRING_GRANT",
        message: 'gina_quant in "Momentum Alpha": the grant expires on 2027-03-31 (11 days left)',
        projectId: 21436587,
        user: "gina_quant",
        date: "2027-03-31",
        source: "collaborators.yaml:35",
      },
    ]);
  });

  it("is deterministic: same inputs, same plan", () => {
    const again = buildPlan({
      desired: demoDesired,
      projects: withLive(resolved),
      identity: demoIdentity,
      now: NOW,
      tool: demoTool,
    });
    expect(again).toEqual(plan);
  });
});

describe("buildPlan rules", () => {
  it("orders changes: creates, updates, deletes, each by user", () => {
    const p = project(
      5,
      [
        grant("zed", direct(2, READ)),
        grant("amy", direct(3, READ)),
        grant("kim", direct(4, WRITE)),
        grant("bo", direct(5, WRITE)),
      ],
      { prune: true },
    );
    const plan = planOne(p, [OWNER, live("kim", READ), live("bo", READ), live("yy", READ), live("xx", READ)]);
    expect(changesOf(plan).map((c) => `${c.action[0]}:${c.user}`)).toEqual([
      "c:amy",
      "c:zed",
      "u:bo",
      "u:kim",
      "d:xx",
      "d:yy",
    ]);
  });

  it("no change when live matches the desired access", () => {
    const plan = planOne(project(5, [grant("a", direct(2, WRITE_LIVE))]), [OWNER, live("a", WRITE_LIVE)]);
    expect(changesOf(plan)).toEqual([]);
    expect(plan.summary).toEqual({ create: 0, update: 0, delete: 0, projects: 1, changedProjects: 0 });
  });

  it("update carries before and after", () => {
    const plan = planOne(project(5, [grant("a", direct(7, READ))]), [OWNER, live("a", WRITE_LIVE)]);
    expect(changesOf(plan)).toEqual([
      {
        action: "update",
        user: "a",
        before: WRITE_LIVE,
        after: READ,
        source: "c.yaml:7",
        escalation: false,
        selfLockout: false,
      },
    ]);
  });

  it.each([
    ["read→write", READ, WRITE, true],
    ["liveControl granted", READ, READ_LIVE, true],
    ["write→read", WRITE, READ, false],
    ["liveControl withdrawn", WRITE_LIVE, WRITE, false],
  ])("escalation on update: %s", (_label, before, after, escalation) => {
    const plan = planOne(project(5, [grant("a", direct(2, after))]), [OWNER, live("a", before)]);
    expect(changesOf(plan)[0]?.escalation).toBe(escalation);
  });

  it.each([
    [READ, false],
    [WRITE, true],
    [READ_LIVE, true],
  ])("escalation on create with %o: %s", (access, escalation) => {
    const plan = planOne(project(5, [grant("a", direct(2, access))]), [OWNER]);
    expect(changesOf(plan)[0]).toMatchObject({ action: "create", escalation });
  });

  describe("owner", () => {
    it("is never deleted, even with prune on", () => {
      const plan = planOne(project(5, [], { prune: true }), [OWNER]);
      expect(changesOf(plan)).toEqual([]);
      expect(plan.projects[0]?.unmanaged).toEqual([]);
    });
    it("declared with its own access: no change, no warning", () => {
      const plan = planOne(project(5, [grant("owner_o", direct(2, WRITE_LIVE))]), [OWNER]);
      expect(changesOf(plan)).toEqual([]);
      expect(plan.warnings).toEqual([]);
    });
    it("declared with another access: no change, a warning", () => {
      const plan = planOne(project(5, [grant("owner_o", direct(2, READ))]), [OWNER]);
      expect(changesOf(plan)).toEqual([]);
      expect(plan.warnings).toEqual([
        expect.objectContaining({
          code: "W_OWNER_ACCESS",
          user: "owner_o",
          projectId: 5,
          source: "c.yaml:2",
        }),
      ]);
    });
    it("with an expired grant: not removed", () => {
      const plan = planOne(project(5, [grant("owner_o", direct(2, READ, { expires: "2020-01-01" }))]), [
        OWNER,
      ]);
      expect(changesOf(plan)).toEqual([]);
    });
  });

  describe("self-lockout (identity uid 2)", () => {
    const me = live("me", WRITE_LIVE, { uid: 2 });
    it("pruning the authenticated user is planned but marked", () => {
      const plan = planOne(project(5, [], { prune: true }), [OWNER, me]);
      expect(changesOf(plan)).toEqual([
        expect.objectContaining({ action: "delete", user: "me", selfLockout: true }),
      ]);
    });
    it("downgrading the authenticated user is marked", () => {
      const plan = planOne(project(5, [grant("me", direct(2, WRITE))]), [OWNER, me]);
      expect(changesOf(plan)[0]).toMatchObject({ action: "update", selfLockout: true });
    });
    it("upgrading the authenticated user is not a lockout", () => {
      const plan = planOne(project(5, [grant("me", direct(2, WRITE_LIVE))]), [
        OWNER,
        live("me", READ, { uid: 2 }),
      ]);
      expect(changesOf(plan)[0]).toMatchObject({ action: "update", selfLockout: false, escalation: true });
    });
    it("an expired grant of the authenticated user is marked", () => {
      const plan = planOne(project(5, [grant("me", direct(2, WRITE, { expires: "2027-01-01" }))]), [
        OWNER,
        me,
      ]);
      expect(changesOf(plan)[0]).toMatchObject({
        action: "delete",
        source: "expired on 2027-01-01",
        selfLockout: true,
      });
    });
    it("a null uid is never taken for the authenticated user", () => {
      const plan = planOne(project(5, [], { prune: true }), [OWNER, live("x", READ)], { uid: 0 });
      expect(changesOf(plan)[0]?.selfLockout).toBe(false);
    });
  });

  describe("prune", () => {
    const liveList = [OWNER, live("kept", WRITE), live("a", READ)];
    it("on: undeclared collaborators are deleted", () => {
      const plan = planOne(project(5, [grant("a", direct(2, READ))], { prune: true }), liveList);
      expect(changesOf(plan)).toEqual([
        {
          action: "delete",
          user: "kept",
          before: WRITE,
          after: null,
          source: "not declared, prune on",
          escalation: false,
          selfLockout: false,
        },
      ]);
      expect(plan.projects[0]?.unmanaged).toEqual([]);
    });
    it("off: undeclared collaborators are listed as unmanaged and kept", () => {
      const plan = planOne(project(5, [grant("a", direct(2, READ))]), liveList);
      expect(changesOf(plan)).toEqual([]);
      expect(plan.projects[0]?.unmanaged).toEqual([{ user: "kept", access: WRITE }]);
    });
  });

  describe("expiry", () => {
    const expired = grant("old", direct(3, WRITE, { expires: "2027-03-19" }));
    it.each([true, false])("an expired live grant is removed whatever prune says (prune %s)", (prune) => {
      const plan = planOne(project(5, [expired], { prune }), [OWNER, live("old", WRITE)]);
      expect(changesOf(plan)).toEqual([
        {
          action: "delete",
          user: "old",
          before: WRITE,
          after: null,
          source: "expired on 2027-03-19",
          escalation: false,
          selfLockout: false,
        },
      ]);
    });
    it("an expired grant is never created; a W_EXPIRED_GRANT warning says the line can go", () => {
      const plan = planOne(project(5, [expired]), [OWNER]);
      expect(changesOf(plan)).toEqual([]);
      expect(plan.warnings).toEqual([
        expect.objectContaining({
          code: "W_EXPIRED_GRANT",
          user: "old",
          date: "2027-03-19",
          source: "c.yaml:3",
        }),
      ]);
    });
    it("warns about grants expiring within expiryWarningDays, not beyond", () => {
      const p = project(5, [
        grant("today", direct(2, READ, { expires: "2027-03-20" })),
        grant("edge", direct(3, READ, { expires: "2027-03-27" })),
        grant("later", direct(4, READ, { expires: "2027-03-28" })),
        grant("team", viaTeam("t", 9, READ, { expires: "2027-03-21" })),
      ]);
      const plan = planOne(p, [OWNER], { settings: { expiryWarningDays: 7 } });
      expect(plan.warnings.map((w) => [w.code, w.user, w.date])).toEqual([
        ["W_EXPIRING_GRANT", "today", "2027-03-20"],
        ["W_EXPIRING_GRANT", "edge", "2027-03-27"],
        ["W_EXPIRING_GRANT", "team", "2027-03-21"],
      ]);
      expect(plan.warnings[0]?.message).toContain("today is its last day");
      expect(plan.warnings[2]?.message).toContain("via team t");
      expect(plan.warnings[2]?.message).toContain("1 day left");
    });
    it("a create or update carries the expiry of the declaration that decides it", () => {
      const p = project(5, [
        grant("temp", direct(2, READ, { expires: "2027-06-30" })),
        grant("up", viaTeam("a", 8, READ), viaTeam("b", 9, WRITE, { expires: "2027-05-01" })),
        grant("forever", viaTeam("a", 8, WRITE), viaTeam("b", 9, READ, { expires: "2027-05-01" })),
        grant("gone", direct(4, READ, { expires: "2027-03-01" })),
      ]);
      const plan = planOne(p, [OWNER, live("up", READ), live("gone", READ)]);
      expect(changesOf(plan).map((c) => [c.action, c.user, c.expires])).toEqual([
        ["create", "forever", undefined],
        ["create", "temp", "2027-06-30"],
        ["update", "up", "2027-05-01"],
        ["delete", "gone", undefined],
      ]);
      expect(changesOf(plan).find((c) => c.user === "forever")).not.toHaveProperty("expires");
    });
    it("an expired direct entry falls back to the team access (update, cites the team line)", () => {
      const p = project(5, [grant("u", direct(3, WRITE, { expires: "2027-01-01" }), viaTeam("t", 9, READ))]);
      const plan = planOne(p, [OWNER, live("u", WRITE)]);
      expect(changesOf(plan)).toEqual([
        expect.objectContaining({ action: "update", after: READ, source: "c.yaml:9" }),
      ]);
    });
  });

  it("keeps warnings passed in, first", () => {
    const desiredProject = project(5, []);
    const plan = buildPlan({
      desired: { ...demoDesired, projects: [desiredProject] },
      projects: [{ resolved: { desired: desiredProject, projectId: 5, liveName: "Five" }, live: [OWNER] }],
      identity: { uid: 2 },
      now: NOW,
      tool: demoTool,
      warnings: [{ code: "W_PROJECT_NAME_MISMATCH", message: "m" }],
    });
    expect(plan.warnings).toEqual([{ code: "W_PROJECT_NAME_MISMATCH", message: "m" }]);
    expect(plan.projects[0]?.name).toBe("Five");
  });

  it("names a project: live name, else declared name, else #id", () => {
    expect(planOne(project(5, [], { name: "Declared" }), [OWNER]).projects[0]?.name).toBe("Declared");
    expect(planOne(project(5, []), [OWNER]).projects[0]?.name).toBe("#5");
  });
});
