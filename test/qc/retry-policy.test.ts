import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  nextDelayMs,
  parseRetryAfter,
  resolveRetryPolicy,
  retryWithPolicy,
} from "../../src/qc/retry-policy.js";
import { fakeClock } from "./scripted-fetch.js";

describe("retry policy", () => {
  it("parses Retry-After as seconds or an HTTP date, and ignores junk", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:09 GMT", now)).toBe(9_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-4", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("backoff doubles, keeps half the step and jitters the other half, capped", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it("stops on non-retryable verdicts, at maxAttempts and at the total budget", () => {
    const policy = resolveRetryPolicy({ maxAttempts: 3, maxTotalMs: 10_000, baseDelayMs: 1_000 });
    expect(nextDelayMs({ retryable: false }, 1, 0, policy, () => 0)).toBeUndefined();
    expect(nextDelayMs({ retryable: true }, 1, 0, policy, () => 0)).toBe(500);
    expect(nextDelayMs({ retryable: true }, 3, 0, policy, () => 0)).toBeUndefined();
    expect(nextDelayMs({ retryable: true }, 1, 9_600, policy, () => 0)).toBeUndefined();
    expect(nextDelayMs({ retryable: true, retryAfterMs: 999_999 }, 1, 0, policy, () => 0)).toBeUndefined();
    expect(nextDelayMs({ retryable: true, retryAfterMs: 4_000 }, 1, 0, policy, () => 0)).toBe(4_000);
  });

  it("has documented defaults and rejects nonsense overrides", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 6,
      maxTotalMs: 120_000,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
      maxRetryAfterMs: 60_000,
    });
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(RangeError);
  });

  it("runs the loop through p-retry with waits only through the injected sleep", async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const result = await retryWithPolicy({
      operation: ({ attempt, remainingMs }) => {
        seen.push(remainingMs);
        if (attempt < 3) return Promise.reject(new Error(`fail ${attempt}`));
        return Promise.resolve(`ok after ${attempt}`);
      },
      classify: () => ({ retryable: true }),
      policy: { baseDelayMs: 1_000, maxTotalMs: 60_000 },
      environment: { now: clock.now, sleep: clock.sleep, random: () => 0 },
    });
    expect(result).toBe("ok after 3");
    expect(clock.delays).toEqual([500, 1_000]);
    expect(seen).toEqual([60_000, 59_500, 58_500]);
  });

  it("rejects with the last error when it gives up", async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = retryWithPolicy({
      operation: () => Promise.reject(new Error(`failure ${++calls}`)),
      classify: (error) => ({ retryable: error instanceof Error && error.message !== "failure 2" }),
      environment: { now: clock.now, sleep: clock.sleep, random: () => 0 },
    });
    await expect(run).rejects.toThrow("failure 2");
    expect(calls).toBe(2);
  });
});
