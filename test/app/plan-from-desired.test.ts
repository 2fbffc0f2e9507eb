import { afterEach, describe, expect, it } from "vitest";
import { planFromDesired } from "../../src/app/plan-from-desired.js";
import { readLiveState } from "../../src/app/read-live-state.js";
import { journalActor, journalCommit } from "../../src/app/journal-identity.js";
import { QcCollabError } from "../../src/model/errors.js";
import {
  desiredState,
  makeSeed,
  OWNER,
  READ,
  startTestSandbox,
  type TestSandbox,
} from "../apply/fixtures.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const identity = { uid: OWNER.uid };
let sandbox: TestSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const count = (stats: { byEndpoint: Record<string, Record<string, number>> }, endpoint: string): number =>
  Object.values(stats.byEndpoint[endpoint] ?? {}).reduce((a, b) => a + b, 0);

const seed = makeSeed([
  { projectId: 1, name: "Alpha", collaborators: [{ publicId: "ann", access: READ }] },
  { projectId: 2, name: "Beta" },
  { projectId: 3, name: "Twin" },
  { projectId: 4, name: "Twin" },
]);

describe("planFromDesired", () => {
  it("reads each declared project once and never lists projects when all are given by id", async () => {
    sandbox = await startTestSandbox(seed);
    const desired = desiredState([
      { id: 1, grants: [{ user: "ann" }] },
      { id: 2, grants: [{ user: "ben" }] },
    ]);
    const { plan } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    expect(plan.summary).toMatchObject({ create: 1, projects: 2, changedProjects: 1 });
    const stats = await sandbox.stats();
    expect(count(stats, "/projects/collaboration/read")).toBe(2);
    expect(count(stats, "/projects/read")).toBe(0);
    expect(stats.total).toBe(2);
  });

  it("lists projects once when a project is named, and resolves the name", async () => {
    sandbox = await startTestSandbox(seed);
    const desired = desiredState([{ name: "Beta", grants: [{ user: "ben" }] }]);
    const { plan } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW });
    expect(plan.projects.map((p) => p.projectId)).toEqual([2]);
    const stats = await sandbox.stats();
    expect(count(stats, "/projects/read")).toBe(1);
    expect(count(stats, "/projects/collaboration/read")).toBe(1);
  });

  it("throws E_CONFIG_RULE with the location when a name matches several or no projects, before any read", async () => {
    sandbox = await startTestSandbox(seed);
    const desired = desiredState([
      { name: "Twin", grants: [] },
      { name: "Alphx", grants: [] },
    ]);
    const error = (await planFromDesired({ desired, api: sandbox.api, identity, now: NOW }).catch(
      (e: unknown) => e,
    )) as QcCollabError;
    expect(error).toBeInstanceOf(QcCollabError);
    expect(error.code).toBe("E_CONFIG_RULE");
    const details = error.details.join("\n");
    expect(details).toMatch(/collaborators\.yaml:10:5: .*Twin.*2 projects/);
    expect(details).toContain('did you mean "Alpha"');
    expect(count(await sandbox.stats(), "/projects/collaboration/read")).toBe(0);
  });

  it("plans only the targets, and refuses an unknown target", async () => {
    sandbox = await startTestSandbox(seed);
    const desired = desiredState([
      { id: 1, name: "Alpha", grants: [{ user: "ann" }] },
      { id: 2, grants: [{ user: "ben" }] },
    ]);
    const { plan } = await planFromDesired({ desired, api: sandbox.api, identity, now: NOW, targets: ["2"] });
    expect(plan.projects.map((p) => p.projectId)).toEqual([2]);
    const byName = await planFromDesired({
      desired,
      api: sandbox.api,
      identity,
      now: NOW,
      targets: ["Alpha"],
    });
    expect(byName.plan.projects.map((p) => p.projectId)).toEqual([1]);
    const error = (await planFromDesired({
      desired,
      api: sandbox.api,
      identity,
      now: NOW,
      targets: ["Gamma"],
    }).catch((e: unknown) => e)) as QcCollabError;
    expect(error.code).toBe("E_USAGE");
    expect(error.message).toContain('"Gamma"');
  });
});

describe("readLiveState", () => {
  it("targets a project declared by id only by its QuantConnect name, listing projects just for that", async () => {
    sandbox = await startTestSandbox(seed);
    const desired = desiredState([
      { id: 1, grants: [{ user: "ann" }] },
      { id: 2, grants: [{ user: "ben" }] },
    ]);
    const { plan } = await planFromDesired({
      desired,
      api: sandbox.api,
      identity,
      now: NOW,
      targets: ["Beta"],
    });
    expect(plan.projects.map((p) => [p.projectId, p.name])).toEqual([[2, "Beta"]]);
    const before = count(await sandbox.stats(), "/projects/read");
    expect(before).toBe(1);
    // A numeric target needs no list.
    await planFromDesired({ desired, api: sandbox.api, identity, now: NOW, targets: ["#2"] });
    expect(count(await sandbox.stats(), "/projects/read")).toBe(before);
  });

  it("keeps at most `concurrency` reads in flight and reads each project once", async () => {
    sandbox = await startTestSandbox(seed);
    let inFlight = 0;
    let peak = 0;
    const base = sandbox.api;
    const api = {
      ...base,
      readCollaborators: async (id: number) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await base.readCollaborators(id);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const live = await readLiveState(
      api,
      [1, 2, 3, 4, 1].map((projectId) => ({ projectId })),
      { concurrency: 2 },
    );
    expect([...live.keys()]).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(
      live
        .get(1)
        ?.map((c) => c.publicId)
        .sort(),
    ).toEqual(["ann", OWNER.publicId]);
  });
});

describe("journal identity", () => {
  it("prefers GITHUB_ACTOR and GITHUB_SHA, then the OS user and git", async () => {
    expect(journalActor({ GITHUB_ACTOR: "octocat" }, "root")).toBe("octocat");
    expect(journalActor({}, "root")).toBe("root");
    expect(journalActor({}, undefined)).toBe("unknown");
    expect(await journalCommit({ GITHUB_SHA: "abc" }, () => Promise.resolve("def"))).toBe("abc");
    expect(await journalCommit({}, () => Promise.resolve("def"))).toBe("def");
    expect(await journalCommit({}, () => Promise.reject(new Error("no git")))).toBeNull();
  });
});
