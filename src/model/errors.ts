/**
 * Stable error codes; each is documented in docs/errors.md. Adapters map them to exit codes in
 * one place (src/adapters/exit-codes.ts).
 */
export type ErrorCode =
  | "E_CONFIG_READ"
  | "E_CONFIG_SYNTAX"
  | "E_CONFIG_SCHEMA"
  | "E_CONFIG_RULE"
  | "E_CREDENTIALS"
  | "E_AUTH"
  | "E_API"
  | "E_NETWORK"
  | "E_TIMEOUT"
  | "E_NOT_FOUND"
  | "E_LOCK"
  | "E_STALE_PLAN"
  | "E_PLAN_FILE"
  | "E_GUARD"
  | "E_APPLY_PARTIAL"
  | "E_VERIFY"
  | "E_USAGE"
  /** Stopping on SIGTERM/SIGINT (reconciler, or apply on the CLI): the call was never started. */
  | "E_INTERRUPTED"
  | "E_INTERNAL";

/**
 * The one error type the tool throws on purpose. Messages are written for the person at the
 * terminal and must never contain the API token or its hash.
 */
export class QcCollabError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "QcCollabError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export function isQcCollabError(value: unknown): value is QcCollabError {
  return value instanceof QcCollabError;
}
