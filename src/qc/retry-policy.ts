import pRetry from "p-retry";

/**
 * The one retry policy of the tool (DESIGN.md §5). p-retry runs the attempt loop and counts
 * attempts; every wait goes through the injected `sleep` and every time check through the injected
 * `now`, because p-retry 7 only waits with its own setTimeout and measures `maxRetryTime` with
 * performance.now(): neither can be faked, and tests must not wait for real.
 */
export interface RetryPolicyOptions {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** No retry is started if it would end (after its wait) later than this after the first attempt. */
  readonly maxTotalMs: number;
  /** Backoff before the first retry; doubles for each further retry. */
  readonly baseDelayMs: number;
  /** Ceiling of one backoff wait. */
  readonly maxDelayMs: number;
  /** Ceiling of a server-requested Retry-After wait. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxAttempts: 6,
  maxTotalMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
});

/** What is ambient in retrying, injected so tests are instant and deterministic. */
export interface RetryEnvironment {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** What a failed attempt tells the policy. */
export interface FailureVerdict {
  readonly retryable: boolean;
  /** A wait the server asked for (429 Retry-After); replaces the backoff. */
  readonly retryAfterMs?: number | undefined;
  /**
   * False when the answer proves the server is healthy but busy (429): a busy API must not make a
   * request give up after a handful of polite waits. Such failures are bounded by maxTotalMs only.
   */
  readonly consumesAttempt?: boolean | undefined;
}

export interface RetryNotice {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface AttemptContext {
  readonly attempt: number;
  /** Time left in the total budget; a per-request timeout should not outlive it. */
  readonly remainingMs: number;
}

export interface RetryRun<T> {
  readonly operation: (context: AttemptContext) => Promise<T>;
  readonly classify: (error: unknown) => FailureVerdict;
  readonly policy?: Partial<RetryPolicyOptions> | undefined;
  readonly environment: RetryEnvironment;
  readonly onRetry?: ((notice: RetryNotice) => void) | undefined;
}

export function resolveRetryPolicy(overrides: Partial<RetryPolicyOptions> | undefined): RetryPolicyOptions {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  for (const key of ["maxTotalMs", "baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    if (!(policy[key] >= 0)) throw new RangeError(`retry ${key} must be >= 0, got ${policy[key]}`);
  }
  return policy;
}

/**
 * Exponential backoff with "equal jitter": half of the exponential step is kept, the other half is
 * random. Waits still grow (so a struggling server gets relief) while clients that failed together
 * spread out. `retryNumber` is 1 for the wait before the second attempt.
 */
export function backoffDelayMs(
  retryNumber: number,
  policy: Pick<RetryPolicyOptions, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds to
 * wait, or undefined when absent or unreadable (then the normal backoff applies).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Date.parse accepts "-4" as a year; an HTTP date always names its day and month.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before the next attempt, or undefined when the policy says stop. `failedAttempt` counts
 * the failures that use up attempts (1 after the first such failure).
 */
export function nextDelayMs(
  verdict: FailureVerdict,
  failedAttempt: number,
  elapsedMs: number,
  policy: RetryPolicyOptions,
  random: () => number,
): number | undefined {
  if (!verdict.retryable || failedAttempt >= policy.maxAttempts) return undefined;
  const delay =
    verdict.retryAfterMs === undefined
      ? backoffDelayMs(failedAttempt, policy, random)
      : Math.min(verdict.retryAfterMs, policy.maxRetryAfterMs);
  if (elapsedMs + delay > policy.maxTotalMs) return undefined;
  return delay;
}

/** Runs `operation` until it succeeds or the policy gives up; rejects with the last error. */
export async function retryWithPolicy<T>(run: RetryRun<T>): Promise<T> {
  const policy = resolveRetryPolicy(run.policy);
  const { now, sleep, random } = run.environment;
  const start = now();
  return pRetry(
    (attempt) => run.operation({ attempt, remainingMs: Math.max(0, policy.maxTotalMs - (now() - start)) }),
    {
      retries: policy.maxAttempts - 1,
      // Zero makes p-retry skip its own setTimeout; the wait happens in shouldRetry through `sleep`.
      minTimeout: 0,
      factor: 1,
      randomize: false,
      shouldConsumeRetry: ({ error }) => run.classify(error).consumesAttempt !== false,
      shouldRetry: async ({ error, attemptNumber, retriesConsumed }) => {
        const verdict = run.classify(error);
        // retriesConsumed counts earlier failures only; this one adds itself if it consumes.
        const counted = retriesConsumed + (verdict.consumesAttempt === false ? 0 : 1);
        const delayMs = nextDelayMs(verdict, Math.max(1, counted), now() - start, policy, random);
        if (delayMs === undefined) return false;
        run.onRetry?.({ attempt: attemptNumber, delayMs, error });
        await sleep(delayMs);
        return true;
      },
    },
  );
}

/** The real sleep, for production wiring. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
