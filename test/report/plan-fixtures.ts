import type { DesiredProject, DesiredState } from "../../src/model/desired-state.js";
import type { Plan } from "../../src/model/plan.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { resolveProjects } from "../../src/plan/resolve-projects.js";
import { demoDesired, demoIdentity, demoListed, demoTool, withLive } from "../plan/fixtures/demo-org.js";

export const PLANNED_AT = new Date("2027-03-20T09:30:00Z");

/** The root collaborators.yaml against the demo organisation's seed. */
export function demoPlan(): Plan {
  return buildPlan({
    desired: demoDesired,
    projects: withLive(resolveProjects(demoDesired, demoListed).resolved),
    identity: demoIdentity,
    now: PLANNED_AT,
    tool: demoTool,
  });
}

/**
 * The demo file plus two projects that show the rarer markings: an unchanged project with an
 * unmanaged collaborator, and a pruned project owned by someone else where the authenticated
 * user (mara_lindqvist) is not declared (self-lockout) and the owner is declared with less access.
 */
export function edgePlan(): Plan {
  const extra: DesiredProject[] = [
    {
      ref: { kind: "id", projectId: 21436592 },
      prune: false,
      grants: [],
      source: { file: "collaborators.yaml", line: 70, col: 5 },
    },
    {
      ref: { kind: "id", projectId: 21436593, name: "Vol Surface" },
      prune: true,
      grants: [
        {
          user: "gina_quant",
          contributions: [
            {
              via: { kind: "direct" },
              access: { permission: "read", liveControl: false },
              source: { file: "collaborators.yaml", line: 77, col: 9 },
            },
          ],
        },
      ],
      source: { file: "collaborators.yaml", line: 73, col: 5 },
    },
  ];
  const desired: DesiredState = { ...demoDesired, projects: [...demoDesired.projects, ...extra] };
  const resolved = resolveProjects(desired, demoListed);
  return buildPlan({
    desired,
    projects: withLive(resolved.resolved),
    identity: demoIdentity,
    now: PLANNED_AT,
    tool: demoTool,
  });
}
