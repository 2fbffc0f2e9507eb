import type { Plan } from "../model/plan.js";

export interface GuardViolation {
  readonly code: "max-deletions" | "self-lockout";
  readonly message: string;
  readonly projectId?: number;
  readonly user?: string;
}

/**
 * The safety guards apply checks before its first write (DESIGN.md §3, exit 4). Pure: the caller
 * decides what to do with the violations; an empty list means the plan may be applied.
 */
export function evaluateGuards(plan: Plan, options: { readonly maxDeletions: number }): GuardViolation[] {
  const violations: GuardViolation[] = [];
  const deletions = plan.summary.delete;
  if (deletions > options.maxDeletions) {
    violations.push({
      code: "max-deletions",
      message: `the plan removes ${deletions} collaborator${deletions === 1 ? "" : "s"}, more than the limit of ${options.maxDeletions} (maxDeletions / --max-deletions)`,
    });
  }
  for (const project of plan.projects) {
    for (const change of project.changes) {
      if (!change.selfLockout) continue;
      const what = change.action === "delete" ? "remove" : "downgrade";
      violations.push({
        code: "self-lockout",
        message: `the plan would ${what} ${change.user}, the user these credentials belong to, in "${project.name}" (#${project.projectId}); change that with another account`,
        projectId: project.projectId,
        user: change.user,
      });
    }
  }
  return violations;
}
