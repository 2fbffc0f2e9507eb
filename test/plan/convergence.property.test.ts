import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Access } from "../../src/model/access.js";
import type {
  DesiredGrant,
  DesiredProject,
  DesiredState,
  GrantContribution,
} from "../../src/model/desired-state.js";
import { DEFAULT_SETTINGS } from "../../src/model/desired-state.js";
import type { LiveCollaborator } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { applyChangesToLive } from "../../src/plan/simulate.js";

/*
 * Convergence: for random desired and live states, applying the plan to the live state and
 * planning again yields an empty plan. The generators deliberately include the owner, the
 * authenticated user (uid 2), prune on and off, expired and soon-expiring grants, and teams.
 */
const OWNER = "own";
const SELF = "me";
const USERS = [OWNER, SELF, "u1", "u2", "u3", "u4"];
const UIDS = new Map(USERS.map((u, i) => [u, i + 1]));
const IDENTITY = { uid: 2 };
const NOW = new Date("2027-03-20T12:00:00Z");

const accessArb: fc.Arbitrary<Access> = fc.record({
  permission: fc.constantFrom("read" as const, "write" as const),
  liveControl: fc.boolean(),
});
const expiresArb = fc.option(
  fc.constantFrom("2027-01-01", "2027-03-19", "2027-03-20", "2027-03-25", "2028-01-01"),
  {
    nil: undefined,
  },
);
const contributionArb: fc.Arbitrary<GrantContribution> = fc
  .record({
    team: fc.option(fc.constantFrom("alpha", "beta"), { nil: undefined }),
    access: accessArb,
    expires: expiresArb,
    line: fc.integer({ min: 1, max: 500 }),
  })
  .map(({ team, access, expires, line }) => ({
    via: team === undefined ? { kind: "direct" as const } : { kind: "team" as const, team },
    access,
    source: { file: "c.yaml", line, col: 7 },
    ...(expires === undefined ? {} : { expires }),
  }));

const grantsArb: fc.Arbitrary<DesiredGrant[]> = fc
  .uniqueArray(fc.constantFrom(...USERS), { maxLength: USERS.length })
  .chain((users) =>
    fc.tuple(
      ...users.map((user) =>
        fc
          .array(contributionArb, { minLength: 1, maxLength: 3 })
          .map((contributions) => ({ user, contributions })),
      ),
    ),
  );

const liveArb = (ownerIsSelf: boolean): fc.Arbitrary<LiveCollaborator[]> =>
  fc
    .tuple(accessArb, fc.uniqueArray(fc.constantFrom(...USERS.filter((u) => u !== OWNER)), { maxLength: 5 }))
    .chain(([ownerAccess, others]) =>
      fc.tuple(...others.map(() => accessArb)).map((accesses) => {
        const ownerUser = ownerIsSelf ? SELF : OWNER;
        const list: LiveCollaborator[] = [
          {
            publicId: ownerUser,
            uid: UIDS.get(ownerUser) ?? null,
            name: ownerUser,
            ...ownerAccess,
            owner: true,
          },
        ];
        others.forEach((user, i) => {
          const access = accesses[i];
          if (user === ownerUser || access === undefined) return;
          list.push({ publicId: user, uid: UIDS.get(user) ?? null, name: user, ...access, owner: false });
        });
        return list;
      }),
    );

const projectCaseArb = fc
  .record({ prune: fc.boolean(), grants: grantsArb, ownerIsSelf: fc.boolean() })
  .chain(({ prune, grants, ownerIsSelf }) => liveArb(ownerIsSelf).map((live) => ({ prune, grants, live })));

const scenarioArb: fc.Arbitrary<ProjectCase[]> = fc.array(projectCaseArb, { minLength: 1, maxLength: 4 });

interface ProjectCase {
  readonly prune: boolean;
  readonly grants: DesiredGrant[];
  readonly live: LiveCollaborator[];
}
type Scenario = ProjectCase[];

function plan(scenario: Scenario, lives: readonly (readonly LiveCollaborator[])[]): Plan {
  const projects: DesiredProject[] = scenario.map((p, i) => ({
    ref: { kind: "id", projectId: 1000 + i },
    prune: p.prune,
    grants: p.grants,
    source: { file: "c.yaml", line: i + 1, col: 5 },
  }));
  const desired: DesiredState = {
    version: 1,
    file: "c.yaml",
    digest: "d",
    settings: DEFAULT_SETTINGS,
    projects,
  };
  return buildPlan({
    desired,
    projects: projects.map((desiredProject, i) => ({
      resolved: { desired: desiredProject, projectId: 1000 + i, liveName: undefined },
      live: lives[i] ?? [],
    })),
    identity: IDENTITY,
    now: NOW,
    tool: { name: "qc-collab", version: "test" },
  });
}

/** The simulator does not know uids of created users; QuantConnect does. */
function withUids(list: LiveCollaborator[]): LiveCollaborator[] {
  return list.map((c) => ({ ...c, uid: UIDS.get(c.publicId) ?? null }));
}

function applyPlan(
  first: Plan,
  scenario: Scenario,
  keep: (c: Plan["projects"][number]["changes"][number]) => boolean,
) {
  return scenario.map((p, i) =>
    withUids(applyChangesToLive(p.live, (first.projects[i]?.changes ?? []).filter(keep))),
  );
}

const ownerOf = (live: readonly LiveCollaborator[]): string | undefined =>
  live.find((c) => c.owner)?.publicId;

describe("plan convergence (property)", () => {
  it("applying the whole plan and planning again yields no changes; the owner is never in a change", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const first = plan(
          scenario,
          scenario.map((p) => p.live),
        );
        first.projects.forEach((p, i) => {
          const owner = ownerOf(scenario[i]?.live ?? []);
          for (const change of p.changes) {
            expect(change.user).not.toBe(owner);
            if (change.selfLockout) expect(change.user).toBe(SELF);
          }
        });
        const second = plan(
          scenario,
          applyPlan(first, scenario, () => true),
        );
        expect(second.summary).toMatchObject({ create: 0, update: 0, delete: 0, changedProjects: 0 });
      }),
      { numRuns: 400, seed: 4242 },
    );
  });

  it("when apply holds back self-lockout changes, the only changes left are those", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const first = plan(
          scenario,
          scenario.map((p) => p.live),
        );
        const second = plan(
          scenario,
          applyPlan(first, scenario, (c) => !c.selfLockout),
        );
        const remaining = second.projects.flatMap((p) => p.changes);
        const held = first.projects.flatMap((p) => p.changes.filter((c) => c.selfLockout));
        expect(remaining).toEqual(held);
      }),
      { numRuns: 400, seed: 1717 },
    );
  });

  it("summary counts agree with the changes", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const p = plan(
          scenario,
          scenario.map((s) => s.live),
        );
        const all = p.projects.flatMap((x) => x.changes);
        expect(p.summary.create + p.summary.update + p.summary.delete).toBe(all.length);
        expect(p.summary.changedProjects).toBe(p.projects.filter((x) => x.changes.length > 0).length);
        for (const c of all) {
          if (c.action === "update") expect(c.before).not.toEqual(c.after);
        }
      }),
      { numRuns: 200 },
    );
  });
});
