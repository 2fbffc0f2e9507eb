import { mulberry32 } from "./prng.js";

export interface FaultOptions {
  /** Delay before every API answer. */
  readonly latencyMs?: number;
  /** Probability (0..1) that an API request fails with 500/502/503 or a dropped connection. */
  readonly failRate?: number;
  /** Requests per second across the API; more get 429 with Retry-After. */
  readonly rateLimit?: number;
  /** Seed of the fault PRNG: the same seed and request order give the same faults. */
  readonly randomSeed?: number;
}

/**
 * "before": the request is refused and nothing changes. "after": the request was fully processed
 * (a write is applied and persisted) and then the answer is lost: the client cannot know the
 * outcome and must read before retrying.
 */
export type FaultDecision =
  | { readonly kind: "none" }
  | { readonly kind: "status"; readonly status: 500 | 502 | 503; readonly when: "before" | "after" }
  | { readonly kind: "drop"; readonly when: "before" | "after" };

const FAULTS: readonly Exclude<FaultDecision, { kind: "none" }>[] = [
  { kind: "status", status: 500, when: "before" },
  { kind: "status", status: 502, when: "before" },
  { kind: "status", status: 503, when: "before" },
  { kind: "drop", when: "before" },
  { kind: "status", status: 500, when: "after" },
  { kind: "status", status: 503, when: "after" },
  { kind: "drop", when: "after" },
];

export class FaultInjector {
  private readonly random: () => number;
  private readonly recent: number[] = [];

  constructor(private readonly options: FaultOptions) {
    this.random = mulberry32(options.randomSeed ?? 1);
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  /** One draw per request (two when it fails), so a seed replays the same sequence. */
  decide(): FaultDecision {
    const rate = this.options.failRate ?? 0;
    if (rate <= 0) return { kind: "none" };
    if (this.random() >= rate) return { kind: "none" };
    const pick = FAULTS[Math.floor(this.random() * FAULTS.length)];
    return pick ?? { kind: "none" };
  }

  /** Sliding one-second window; answers how long to wait when the window is full. */
  admit(nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const limit = this.options.rateLimit ?? 0;
    if (limit <= 0) return { ok: true };
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= nowMs - 1000) this.recent.shift();
    if (this.recent.length >= limit) {
      const oldest = this.recent[0] ?? nowMs;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + 1000 - nowMs) / 1000)) };
    }
    this.recent.push(nowMs);
    return { ok: true };
  }

  reset(): void {
    this.recent.length = 0;
  }
}
