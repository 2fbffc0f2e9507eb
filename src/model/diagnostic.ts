import type { SourceLocation } from "./source-location.js";

export type Severity = "error" | "warning";

/** One problem found in an input file. Codes are stable and documented in docs/errors.md. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly location: SourceLocation;
}

/** What every validator returns: a value only when there are no errors. */
export interface ValidationResult<T> {
  readonly value: T | undefined;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}
