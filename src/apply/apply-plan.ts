import { randomUUID } from "node:crypto";
import type {
  ApplyResult,
  ApplyStatus,
  ChangeResult,
  ErrorSummary,
  JournalEntry,
  ProjectApplyResult,
} from "../model/apply-result.js";
import { isQcCollabError } from "../model/errors.js";
import type { LiveCollaborator } from "../model/live-state.js";
import type { Change, Plan, ProjectPlan } from "../model/plan.js";
import type { QuantConnectApi } from "../qc/api.js";
import { applyChangesToLive } from "../plan/simulate.js";
import { mapWithConcurrency } from "./concurrency-pool.js";
import { assertGuards } from "./guards.js";
import type { JournalSink } from "./journal.js";
import { orderChanges } from "./order-changes.js";
import { changedUserDifferences, collaboratorDifferences } from "./verify.js";

export const DEFAULT_APPLY_CONCURRENCY = 4;

/** Reported while apply runs, for a progress line on a TTY; never needed for correctness. */
export type ApplyProgress =
  | { readonly kind: "project-start"; readonly projectId: number; readonly name: string }
  | {
      readonly kind: "change";
      readonly projectId: number;
      readonly change: Change;
      readonly outcome: ChangeResult["outcome"];
      /** Changes finished so far (applied, failed or skipped) out of `total`, over all projects. */
      readonly done: number;
      readonly total: number;
    }
  | { readonly kind: "project-done"; readonly result: ProjectApplyResult };

export interface ApplyOptions {
  readonly api: QuantConnectApi;
  /**
   * The live collaborator lists the plan was computed from, by project id. With them, the list a
   * project's last write returns must equal them with the plan's changes applied, so an
   * unexpected change to anybody is caught; without, only the changed users are checked.
   */
  readonly live?: ReadonlyMap<number, readonly LiveCollaborator[]>;
  /** Projects applied at the same time (default 4); calls within one project are sequential. */
  readonly concurrency?: number;
  /** Overrides the plan's `settings.maxDeletions` (`--max-deletions N`). */
  readonly maxDeletions?: number;
  /** Overrides the plan's `settings.lock` (`--no-lock`). */
  readonly lock?: boolean;
  /** Overrides the plan's `settings.codeSourceId` (`--code-source-id`). */
  readonly codeSourceId?: string;
  readonly journal?: JournalSink;
  /** Recorded in the journal: who runs the apply (GITHUB_ACTOR or the OS user). */
  readonly actor?: string;
  /** Recorded in the journal: the commit of the configuration (GITHUB_SHA or git rev-parse HEAD). */
  readonly commit?: string | null;
  readonly clock?: () => Date;
  readonly runId?: string;
  readonly onProgress?: (event: ApplyProgress) => void;
}

/**
 * E_INTERRUPTED comes from the shutdown gate (shutdown-gate.ts) BEFORE a call reaches
 * QuantConnect: the change was not attempted, so it is skipped, not failed.
 */
function wasNotStarted(error: unknown): boolean {
  return isQcCollabError(error) && error.code === "E_INTERRUPTED";
}

function summarise(error: unknown): ErrorSummary {
  if (isQcCollabError(error)) return { code: error.code, message: error.message };
  return { code: "E_INTERNAL", message: error instanceof Error ? error.message : String(error) };
}

interface RunContext {
  readonly options: ApplyOptions;
  readonly lock: boolean;
  readonly codeSourceId: string;
  readonly clock: () => Date;
  readonly runId: string;
  readonly total: number;
  done: number;
  journalError?: string;
}

async function record(
  run: RunContext,
  project: ProjectPlan,
  fields: Omit<JournalEntry, "time" | "runId" | "actor" | "commit" | "projectId" | "projectName">,
): Promise<void> {
  const journal = run.options.journal;
  if (journal === undefined) return;
  const entry: JournalEntry = {
    time: run.clock().toISOString(),
    runId: run.runId,
    actor: run.options.actor ?? "unknown",
    commit: run.options.commit ?? null,
    projectId: project.projectId,
    projectName: project.name,
    ...fields,
  };
  try {
    await journal.append(entry);
  } catch (error) {
    // Writes already made cannot be undone because the journal failed: keep applying, and report
    // the failure in the result so the adapter can say the journal is incomplete.
    run.journalError ??= error instanceof Error ? error.message : String(error);
  }
}

async function write(api: QuantConnectApi, projectId: number, change: Change): Promise<LiveCollaborator[]> {
  if (change.action === "delete") return api.deleteCollaborator(projectId, change.user);
  if (change.after === null) throw new Error(`a ${change.action} of ${change.user} without target access`);
  return change.action === "create"
    ? api.createCollaborator(projectId, change.user, change.after)
    : api.updateCollaborator(projectId, change.user, change.after);
}

function expectedDifferences(
  project: ProjectPlan,
  live: readonly LiveCollaborator[] | undefined,
  changes: readonly Change[],
  actual: readonly LiveCollaborator[],
): string[] {
  if (live === undefined) return changedUserDifferences(changes, actual);
  let expected: LiveCollaborator[];
  try {
    expected = applyChangesToLive(live, changes);
  } catch {
    // The plan does not fit the list it claims to come from (a hand-made ApplyOptions.live):
    // the changed users are still checked.
    return changedUserDifferences(changes, actual);
  }
  return collaboratorDifferences(expected, actual, new Set(project.unmanaged.map((u) => u.user)));
}

/** One project: lock, ordered writes that stop at the first failure, then verification. */
async function applyProject(run: RunContext, project: ProjectPlan): Promise<ProjectApplyResult> {
  const { api, onProgress } = run.options;
  const started = run.clock().getTime();
  const ordered = orderChanges(project.changes);
  const results: ChangeResult[] = [];
  let blocker: ErrorSummary | undefined;
  const finish = (change: Change, result: ChangeResult): void => {
    results.push(result);
    run.done += 1;
    onProgress?.({
      kind: "change",
      projectId: project.projectId,
      change,
      outcome: result.outcome,
      done: run.done,
      total: run.total,
    });
  };
  onProgress?.({ kind: "project-start", projectId: project.projectId, name: project.name });

  if (run.lock) {
    const t0 = run.clock().getTime();
    try {
      await api.acquireLock(project.projectId, run.codeSourceId);
      await record(run, project, {
        action: "lock",
        user: null,
        before: null,
        after: null,
        outcome: "ok",
        durationMs: run.clock().getTime() - t0,
      });
    } catch (error) {
      blocker = summarise(error);
      // A lock that was never requested (interrupted) is not an operation: only the skips are journaled.
      if (!wasNotStarted(error)) {
        await record(run, project, {
          action: "lock",
          user: null,
          before: null,
          after: null,
          outcome: "failed",
          error: blocker,
          durationMs: run.clock().getTime() - t0,
        });
      }
    }
  }

  let lastList: LiveCollaborator[] | undefined;
  for (const change of ordered) {
    const base = {
      action: change.action,
      user: change.user,
      before: change.before,
      after: change.after,
    } as const;
    if (blocker !== undefined) {
      const error: ErrorSummary = { code: blocker.code, message: `not attempted: ${blocker.message}` };
      await record(run, project, { ...base, outcome: "skipped", error });
      finish(change, { change, outcome: "skipped", error });
      continue;
    }
    const t0 = run.clock().getTime();
    try {
      lastList = await write(api, project.projectId, change);
      await record(run, project, { ...base, outcome: "applied", durationMs: run.clock().getTime() - t0 });
      finish(change, { change, outcome: "applied" });
    } catch (error) {
      const summary = summarise(error);
      if (wasNotStarted(error)) {
        const skipped: ErrorSummary = { code: summary.code, message: `not attempted: ${summary.message}` };
        await record(run, project, { ...base, outcome: "skipped", error: skipped });
        finish(change, { change, outcome: "skipped", error: skipped });
        blocker = summary;
        continue;
      }
      await record(run, project, {
        ...base,
        outcome: "failed",
        error: summary,
        durationMs: run.clock().getTime() - t0,
      });
      finish(change, { change, outcome: "failed", error: summary });
      blocker = {
        code: summary.code,
        message: `an earlier change in this project failed: ${summary.message}`,
      };
    }
  }

  let verified: boolean | null = null;
  let projectError: ErrorSummary | undefined = blocker;
  if (blocker === undefined && lastList !== undefined) {
    const live = run.options.live?.get(project.projectId);
    const differences = expectedDifferences(project, live, ordered, lastList);
    verified = differences.length === 0;
    if (!verified) {
      projectError = {
        code: "E_VERIFY",
        message: `the collaborators after the last write differ from the plan: ${differences.join("; ")}`,
      };
    }
    await record(run, project, {
      action: "verify",
      user: null,
      before: null,
      after: null,
      outcome: verified ? "ok" : "mismatch",
      ...(projectError === undefined ? {} : { error: projectError }),
    });
  }
  const outcome = ordered.length === 0 ? "unchanged" : projectError === undefined ? "applied" : "failed";
  const result: ProjectApplyResult = {
    projectId: project.projectId,
    name: project.name,
    outcome,
    changes: results,
    verified,
    ...(projectError === undefined ? {} : { error: projectError }),
    durationMs: run.clock().getTime() - started,
  };
  onProgress?.({ kind: "project-done", result });
  return result;
}

function statusOf(projects: readonly ProjectApplyResult[]): ApplyStatus {
  const changed = projects.filter((p) => p.outcome !== "unchanged");
  if (changed.length === 0) return "no-changes";
  if (changed.every((p) => p.outcome === "applied")) return "applied";
  const anyApplied = changed.some((p) => p.changes.some((c) => c.outcome === "applied"));
  return anyApplied ? "partial" : "failed";
}

/**
 * Executes a plan (DESIGN.md §5). Safety guards are checked first and throw E_GUARD before any
 * call. Then projects run concurrently; each takes its lock, runs creates and updates before
 * deletes, and stops at its first failure. A failing project never stops the others: the result
 * says, per change, applied / failed / skipped. Only projects with changes are contacted.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  assertGuards(plan, { maxDeletions: options.maxDeletions ?? plan.settings.maxDeletions });
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock();
  const changed = plan.projects.filter((p) => p.changes.length > 0);
  const run: RunContext = {
    options,
    lock: options.lock ?? plan.settings.lock,
    codeSourceId: options.codeSourceId ?? plan.settings.codeSourceId,
    clock,
    runId: options.runId ?? randomUUID(),
    total: changed.reduce((n, p) => n + p.changes.length, 0),
    done: 0,
  };
  const projects = await mapWithConcurrency(changed, options.concurrency ?? DEFAULT_APPLY_CONCURRENCY, (p) =>
    applyProject(run, p),
  );
  const all = projects.flatMap((p) => p.changes);
  const finishedAt = clock();
  return {
    formatVersion: 1,
    status: statusOf(projects),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    counts: {
      applied: all.filter((c) => c.outcome === "applied").length,
      failed: all.filter((c) => c.outcome === "failed").length,
      skipped: all.filter((c) => c.outcome === "skipped").length,
    },
    projects,
    ...(run.journalError === undefined ? {} : { journalError: run.journalError }),
  };
}
