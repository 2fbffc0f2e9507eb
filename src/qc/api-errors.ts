import { QcCollabError } from "../model/errors.js";
import { redactSecrets } from "./redact.js";
import { ENDPOINTS, type EndpointName } from "./wire-types.js";

/**
 * One failed HTTP attempt, as the retry policy sees it. Internal to src/qc: the client unwraps it
 * and callers only ever see the QcCollabError inside.
 */
export class AttemptFailure extends Error {
  readonly error: QcCollabError;
  readonly retryable: boolean;
  /** Server-requested wait (429 Retry-After). */
  readonly retryAfterMs: number | undefined;
  /** The server may have acted on the request (timeout, 5xx, dropped connection after sending). */
  readonly outcomeUnknown: boolean;
  /** Rate limited (429): the server is fine, just busy; the wait does not use up an attempt. */
  readonly rateLimited: boolean;

  constructor(
    error: QcCollabError,
    options: {
      retryable: boolean;
      retryAfterMs?: number | undefined;
      outcomeUnknown: boolean;
      rateLimited?: boolean;
    },
  ) {
    super(error.message);
    this.name = "AttemptFailure";
    this.error = error;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.outcomeUnknown = options.outcomeUnknown;
    this.rateLimited = options.rateLimited ?? false;
  }
}

/** Where a request went, for messages: endpoint path and, when there is one, the project. */
export interface RequestSite {
  readonly endpoint: EndpointName;
  readonly projectId?: number | undefined;
}

export function describeSite(site: RequestSite): string {
  const path = ENDPOINTS[site.endpoint];
  return site.projectId === undefined ? path : `${path} (project ${site.projectId})`;
}

// Strings QuantConnect (and lean-cli, which mirrors it) use for bad credentials in a 200 body.
const AUTH_MESSAGES = [/hash doesn'?t match/i, /userid not valid/i];

export function looksLikeAuthFailure(messages: readonly string[]): boolean {
  return messages.some((message) => AUTH_MESSAGES.some((pattern) => pattern.test(message)));
}

/** The skew part of the hint shows the local clock, because a wrong clock is the usual cause. */
export function authHint(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  return (
    "check the user id and API token (QC_USER_ID / QC_API_TOKEN, QUANTCONNECT_USER_ID / " +
    "QUANTCONNECT_API_TOKEN, or ~/.lean/credentials) and this machine's clock: QuantConnect rejects " +
    `request timestamps older than 7200 s, and the local clock reads ${new Date(nowMs).toISOString()} ` +
    `(Unix ${seconds}).`
  );
}

export function authError(site: RequestSite, nowMs: number, apiMessages: readonly string[], token: string) {
  const details = apiMessages.map((message) => `QuantConnect says: ${redactSecrets(message, token)}`);
  return new QcCollabError("E_AUTH", `QuantConnect did not accept the credentials at ${describeSite(site)}`, {
    hint: authHint(nowMs),
    details,
  });
}

export function apiError(
  site: RequestSite,
  apiMessages: readonly string[],
  token: string,
  code: "E_API" | "E_LOCK" = "E_API",
): QcCollabError {
  const cleaned = apiMessages.map((message) => redactSecrets(message, token));
  const summary = cleaned.length > 0 ? cleaned.join("; ") : "no error message given";
  const verb = code === "E_LOCK" ? "could not acquire the project lock" : "QuantConnect refused";
  // One message is already the summary; several are listed one per line as well.
  return new QcCollabError(code, `${verb} at ${describeSite(site)}: ${summary}`, {
    details: cleaned.length > 1 ? cleaned : [],
  });
}

export function httpStatusError(
  site: RequestSite,
  status: number,
  statusText: string,
  bodyExcerpt: string,
  token: string,
) {
  const excerpt = redactSecrets(bodyExcerpt, token).slice(0, 300);
  const details = excerpt === "" ? [] : [`response body: ${excerpt}`];
  return new QcCollabError(
    "E_API",
    `QuantConnect answered HTTP ${status}${statusText === "" ? "" : ` ${statusText}`} at ${describeSite(site)}`,
    { details },
  );
}

export function unexpectedResponseError(site: RequestSite, problem: string, token: string): QcCollabError {
  return new QcCollabError(
    "E_API",
    `unexpected response from ${describeSite(site)}: ${redactSecrets(problem, token)}`,
  );
}

export function networkError(site: RequestSite, url: string, cause: unknown, token: string): QcCollabError {
  const reason = redactSecrets(describeCause(cause), token);
  return new QcCollabError(
    "E_NETWORK",
    `could not reach QuantConnect at ${url} for ${describeSite(site)}: ${reason}`,
    {
      hint: "check the network connection and the API URL (--api-url / QC_API_URL).",
      cause: sanitizedCause(cause, token),
    },
  );
}

export function timeoutError(site: RequestSite, timeoutMs: number): QcCollabError {
  return new QcCollabError(
    "E_TIMEOUT",
    `no answer from QuantConnect within ${formatMs(timeoutMs)} for ${describeSite(site)}`,
  );
}

/** After retries, the final error says how hard we tried. */
export function withAttempts(error: QcCollabError, attempts: number, elapsedMs: number): QcCollabError {
  if (attempts <= 1) return error;
  const options: { hint?: string; details: string[]; cause?: unknown } = {
    details: [...error.details, `gave up after ${attempts} attempts in ${formatMs(elapsedMs)}`],
  };
  if (error.hint !== undefined) options.hint = error.hint;
  if (error.cause !== undefined) options.cause = error.cause;
  return new QcCollabError(error.code, error.message, options);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

/** fetch hides the useful part ("ECONNREFUSED 127.0.0.1:5612") in `cause`. */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(
        typeof code === "string" && !current.message.includes(code)
          ? `${current.message} (${code})`
          : current.message,
      );
      current = current.cause;
    } else {
      parts.push(typeof current === "string" ? current : `non-error value (${typeof current})`);
      break;
    }
  }
  return parts.filter((part) => part !== "").join(": ") || "unknown error";
}

/** The original cause may hold objects we do not control; keep only a redacted description of it. */
function sanitizedCause(cause: unknown, token: string): Error {
  const error = new Error(redactSecrets(describeCause(cause), token));
  const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  const innerCode =
    cause instanceof Error && cause.cause instanceof Error
      ? (cause.cause as { code?: unknown }).code
      : undefined;
  const chosen = typeof code === "string" ? code : typeof innerCode === "string" ? innerCode : undefined;
  if (chosen !== undefined) Object.assign(error, { code: chosen });
  return error;
}

/** Connection errors that prove the request never left this machine: safe to resend even a write. */
export function requestNeverSent(cause: unknown): boolean {
  const codes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && codes.has(code)) return true;
    current = current.cause;
  }
  return false;
}
