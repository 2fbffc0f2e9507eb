import type { Access } from "./access.js";
import type { ErrorCode } from "./errors.js";
import type { Change } from "./plan.js";

/** What happened to one planned change. */
export type ChangeOutcome = "applied" | "failed" | "skipped";

/** An error as results and journals carry it: code and message only, never a stack or a secret. */
export interface ErrorSummary {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ChangeResult {
  readonly change: Change;
  readonly outcome: ChangeOutcome;
  /** Why it failed, or why it was skipped (e.g. the lock was refused, an earlier call failed). */
  readonly error?: ErrorSummary;
}

/**
 * `applied`: every change applied and verified. `failed`: lock refused, a call failed, or the
 * collaborator list after the last write differs from the expected one. `unchanged`: no changes.
 */
export type ProjectOutcome = "applied" | "failed" | "unchanged";

export interface ProjectApplyResult {
  readonly projectId: number;
  readonly name: string;
  readonly outcome: ProjectOutcome;
  readonly changes: readonly ChangeResult[];
  /** true: the list returned by the last write equals the expected one; null: nothing was written. */
  readonly verified: boolean | null;
  readonly error?: ErrorSummary;
  readonly durationMs: number;
}

/** `applied`: all changes applied; `partial`: some applied, some not; `failed`: none applied; `no-changes`. */
export type ApplyStatus = "applied" | "partial" | "failed" | "no-changes";

export interface ApplyCounts {
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ApplyResult {
  readonly formatVersion: 1;
  readonly status: ApplyStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly counts: ApplyCounts;
  readonly projects: readonly ProjectApplyResult[];
  /** Set when a journal line could not be written: the journal of this run is incomplete. */
  readonly journalError?: string;
}

/** One line of the journal (`.qc-collab/journal.jsonl`): one operation and its result. */
export interface JournalEntry {
  readonly time: string;
  /** Identifies one apply run; all lines of a run share it. */
  readonly runId: string;
  readonly actor: string;
  readonly commit: string | null;
  readonly projectId: number;
  readonly projectName: string;
  readonly action: "lock" | "create" | "update" | "delete" | "verify";
  readonly user: string | null;
  readonly before: Access | null;
  readonly after: Access | null;
  readonly outcome: ChangeOutcome | "ok" | "mismatch";
  readonly error?: ErrorSummary;
  readonly durationMs?: number;
}
