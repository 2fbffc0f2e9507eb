import type { ApplyCounts } from "../../model/apply-result.js";
import type { ErrorSummary } from "../../model/apply-result.js";
import type { PlanSummary } from "../../model/plan.js";
import { EXIT, type ExitCode } from "../exit-codes.js";

/**
 * How one reconcile run ended. `drift`: plan-only and the live state differs; `applied`: changes
 * were applied (or there were none to apply after a drift); `partial`: some changes failed;
 * `guard`: a safety guard stopped apply before any write; `error`: nothing could be decided.
 */
export type RunOutcome = "no-changes" | "drift" | "applied" | "partial" | "guard" | "error";

export const RUN_OUTCOMES: readonly RunOutcome[] = [
  "no-changes",
  "drift",
  "applied",
  "partial",
  "guard",
  "error",
];

/** One run, exactly as logged (one JSON line on stdout) and as /healthz reports the last one. */
export interface RunRecord {
  readonly event: "run";
  readonly time: string;
  readonly outcome: RunOutcome;
  /** Changes in the plan (create + update + delete); 0 when no plan was made. */
  readonly changes: number;
  readonly durationMs: number;
  /** HEAD of the configuration's repository, or null outside git. */
  readonly commit: string | null;
  readonly mode: "plan" | "apply";
  readonly summary?: PlanSummary;
  /** Per-change outcomes when apply ran. */
  readonly applied?: ApplyCounts;
  /** Changes applied by action, for the changes-applied counter. */
  readonly appliedByAction?: { readonly create: number; readonly update: number; readonly delete: number };
  readonly error?: ErrorSummary;
}

/** `--once` exits with its run's code, the same numbers the CLI uses (plan-only drift = 2, like --detailed-exitcode). */
export function exitCodeForOutcome(outcome: RunOutcome): ExitCode {
  switch (outcome) {
    case "no-changes":
    case "applied":
      return EXIT.ok;
    case "drift":
      return EXIT.changesPresent;
    case "partial":
      return EXIT.applyPartlyFailed;
    case "guard":
      return EXIT.stoppedByGuard;
    case "error":
      return EXIT.error;
  }
}
