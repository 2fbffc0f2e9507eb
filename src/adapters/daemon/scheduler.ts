import { createTask, validateDetailed } from "node-cron";
import { QcCollabError } from "../../model/errors.js";

/** Checks the cron expression at start, so a typo fails loudly (exit 1) instead of never running. */
export function assertValidSchedule(expression: string): void {
  const result = validateDetailed(expression);
  if (result.valid) return;
  throw new QcCollabError(
    "E_USAGE",
    `--schedule ${JSON.stringify(expression)} is not a valid cron expression`,
    {
      details: result.errors.map(
        (e) => `${e.field}${e.value === undefined ? "" : ` "${e.value}"`}: ${e.message}`,
      ),
      hint: 'five fields (minute hour day month weekday), or six with seconds first, e.g. "*/15 * * * *"',
    },
  );
}

export interface Schedule {
  stop(): Promise<void>;
}

/**
 * Calls `tick` on every match of the expression. Overlap is not handled here: the run loop
 * decides (and logs) whether a tick starts a run, so node-cron always returns at once.
 */
export async function startSchedule(expression: string, tick: () => void): Promise<Schedule> {
  assertValidSchedule(expression);
  const task = createTask(
    expression,
    () => {
      tick();
    },
    { name: "qc-collab-reconcile", noOverlap: false, suppressMissedWarning: true },
  );
  await task.start();
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
