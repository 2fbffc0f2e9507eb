import type { ApplyResult } from "../model/apply-result.js";
import { QcCollabError } from "../model/errors.js";
import type { LiveCollaborator } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import type { QuantConnectApi } from "../qc/api.js";
import { applyPlan, type ApplyOptions } from "../apply/apply-plan.js";
import { assertGuards } from "../apply/guards.js";
import { projectLabel } from "../apply/project-label.js";
import { findStaleProjects } from "../plan/plan-file.js";
import { DEFAULT_READ_CONCURRENCY, readLiveState } from "./read-live-state.js";

/**
 * The staleness check of a saved plan (DESIGN.md §4): one read of every project in it; if any
 * project's collaborators moved since the plan was made, E_STALE_PLAN names them. Returns the lists
 * it read, which are the ones apply must verify against: a caller that asks for approval in
 * between checks first (nobody approves a plan that is then refused) and reuses these reads.
 */
export async function readFreshPlanState(
  plan: Plan,
  api: QuantConnectApi,
  options: { readonly readConcurrency?: number } = {},
): Promise<ReadonlyMap<number, readonly LiveCollaborator[]>> {
  const current = await readLiveState(api, plan.projects, {
    concurrency: options.readConcurrency ?? DEFAULT_READ_CONCURRENCY,
  });
  const stale = findStaleProjects(plan, current);
  if (stale.length > 0) {
    throw new QcCollabError(
      "E_STALE_PLAN",
      `the plan is stale: the collaborators of ${stale.length} project${stale.length === 1 ? "" : "s"} changed since it was made; nothing was applied`,
      {
        details: stale.map((p) => `${projectLabel(p)} changed`),
        hint: "make a new plan with `qc-collab plan --out FILE`, review it, and apply that",
      },
    );
  }
  return current;
}

/**
 * Applies a saved plan exactly as reviewed (DESIGN.md §4): guards first, then the staleness check
 * (readFreshPlanState); nothing is written when either refuses.
 */
export async function applySavedPlan(
  plan: Plan,
  options: Omit<ApplyOptions, "live"> & { readonly readConcurrency?: number },
): Promise<ApplyResult> {
  assertGuards(plan, { maxDeletions: options.maxDeletions ?? plan.settings.maxDeletions });
  const live = await readFreshPlanState(plan, options.api, options);
  return applyPlan(plan, { ...options, live });
}
