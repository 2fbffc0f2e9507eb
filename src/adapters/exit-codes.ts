import { isQcCollabError } from "../model/errors.js";

/** Exit codes are part of the contract (README, DESIGN.md §3). */
export const EXIT = {
  ok: 0,
  error: 1,
  changesPresent: 2,
  applyPartlyFailed: 3,
  stoppedByGuard: 4,
  /** A second Ctrl-C during apply: the process ends at once (128 + SIGINT, the shell convention). */
  interruptedAgain: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The one place that maps errors to exit codes. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isQcCollabError(error)) {
    if (error.code === "E_GUARD") return EXIT.stoppedByGuard;
    if (error.code === "E_APPLY_PARTIAL") return EXIT.applyPartlyFailed;
  }
  return EXIT.error;
}
