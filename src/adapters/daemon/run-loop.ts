import type { ReconcilerMetrics } from "./metrics.js";
import type { RunRecord } from "./run-record.js";

export interface RunLoop {
  /** Starts a run unless one is in progress; then the tick is skipped (logged and counted). */
  trigger(): Promise<RunRecord | undefined>;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  lastRun(): RunRecord | undefined;
  running(): boolean;
}

/** One run at a time: node-cron may tick while a slow run is still going; that tick is dropped. */
export function createRunLoop(options: {
  readonly run: () => Promise<RunRecord>;
  /** Writes one JSON line; every line has an `event` (run, skipped, listening, stopping, stopped). */
  readonly log: (line: object) => void;
  readonly metrics: ReconcilerMetrics;
  readonly clock: () => Date;
}): RunLoop {
  let current: Promise<RunRecord> | undefined;
  let last: RunRecord | undefined;
  return {
    trigger() {
      if (current !== undefined) {
        options.metrics.recordSkippedTick();
        options.log({
          event: "skipped",
          time: options.clock().toISOString(),
          reason: "the previous run is still in progress",
        });
        return Promise.resolve(undefined);
      }
      const run = options.run().then((record) => {
        last = record;
        current = undefined;
        options.metrics.recordRun(record);
        options.log(record);
        return record;
      });
      current = run;
      return run;
    },
    async idle() {
      if (current !== undefined) await current;
    },
    lastRun: () => last,
    running: () => current !== undefined,
  };
}
