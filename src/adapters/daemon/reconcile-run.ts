import type { ApplyResult } from "../../model/apply-result.js";
import type { DesiredState } from "../../model/desired-state.js";
import { isQcCollabError } from "../../model/errors.js";
import type { Identity, LiveCollaborator } from "../../model/live-state.js";
import type { Plan } from "../../model/plan.js";
import type { QuantConnectApi } from "../../qc/api.js";
import type { RunOutcome, RunRecord } from "./run-record.js";

/** Everything one run needs, injected: the daemon wires the real loader, client and git. */
export interface ReconcileRunDeps {
  readonly mode: "plan" | "apply";
  /** Fast-forwards the configuration's repository before reading it (`--git-pull`). */
  readonly pull?: () => Promise<void>;
  readonly head: () => Promise<string | null>;
  /** Reads and validates the file; throws QcCollabError (E_CONFIG_*) when it is invalid. */
  readonly loadDesired: () => Promise<DesiredState>;
  readonly api: QuantConnectApi;
  readonly identity: () => Promise<Identity>;
  readonly makePlan: (input: {
    desired: DesiredState;
    api: QuantConnectApi;
    identity: Identity;
    now: Date;
  }) => Promise<{ plan: Plan; live?: ReadonlyMap<number, readonly LiveCollaborator[]> }>;
  /**
   * `commit` is recorded in the journal with every operation; `live` (the lists the plan was made
   * from) lets verification catch an unexpected change to anybody, not only to the changed users.
   */
  readonly applyPlan: (
    plan: Plan,
    api: QuantConnectApi,
    commit: string | null,
    live: ReadonlyMap<number, readonly LiveCollaborator[]> | undefined,
  ) => Promise<ApplyResult>;
  readonly clock: () => Date;
}

function changeCount(plan: Plan): number {
  return plan.summary.create + plan.summary.update + plan.summary.delete;
}

function appliedByAction(result: ApplyResult): { create: number; update: number; delete: number } {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const project of result.projects) {
    for (const change of project.changes) {
      if (change.outcome === "applied") counts[change.change.action] += 1;
    }
  }
  return counts;
}

/**
 * One reconcile run: (git pull), read the file, plan, and with `--apply` apply. Never throws:
 * every ending becomes a RunRecord, which the loop logs as one JSON line.
 */
export async function reconcileOnce(deps: ReconcileRunDeps): Promise<RunRecord> {
  const started = deps.clock();
  let commit: string | null = null;
  const base = () => ({
    event: "run" as const,
    time: started.toISOString(),
    durationMs: deps.clock().getTime() - started.getTime(),
    commit,
    mode: deps.mode,
  });
  let plan: Plan | undefined;
  try {
    if (deps.pull !== undefined) await deps.pull();
    commit = await deps.head();
    const desired = await deps.loadDesired();
    const identity = await deps.identity();
    const made = await deps.makePlan({ desired, api: deps.api, identity, now: started });
    plan = made.plan;
    const changes = changeCount(plan);
    if (changes === 0) return { ...base(), outcome: "no-changes", changes, summary: plan.summary };
    if (deps.mode === "plan") return { ...base(), outcome: "drift", changes, summary: plan.summary };
    const result = await deps.applyPlan(plan, deps.api, commit, made.live);
    const outcome: RunOutcome =
      result.status === "applied" || result.status === "no-changes" ? "applied" : "partial";
    return {
      ...base(),
      outcome,
      changes,
      summary: plan.summary,
      applied: result.counts,
      appliedByAction: appliedByAction(result),
    };
  } catch (error) {
    const summary = isQcCollabError(error)
      ? { code: error.code, message: error.message }
      : { code: "E_INTERNAL" as const, message: error instanceof Error ? error.message : String(error) };
    const guard = isQcCollabError(error) && error.code === "E_GUARD";
    return {
      ...base(),
      outcome: guard ? "guard" : "error",
      changes: plan === undefined ? 0 : changeCount(plan),
      ...(plan === undefined ? {} : { summary: plan.summary }),
      error: summary,
    };
  }
}
