import { performance } from "node:perf_hooks";

/** Small statistics helpers shared by the scenarios and the table. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? NaN) + upper) / 2;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

/** The ideal of issue 6: ceil(projects / concurrency) × calls-per-project × latency. */
export function idealMs(
  projects: number,
  concurrency: number,
  callsPerProject: number,
  latencyMs: number,
): number {
  return Math.ceil(projects / concurrency) * callsPerProject * latencyMs;
}
