import { userInfo } from "node:os";
import { dirname, resolve } from "node:path";
import type { DesiredState } from "./../model/desired-state.js";
import { QcCollabError } from "../model/errors.js";
import { applyPlan } from "../apply/apply-plan.js";
import { DEFAULT_JOURNAL_PATH, openFileJournal } from "../apply/journal.js";
import { journalActor } from "../app/journal-identity.js";
import { planFromDesired } from "../app/plan-from-desired.js";
import { gitHead, gitPullFastForward } from "./daemon/git.js";
import { startHealthServer, type HealthServer } from "./daemon/health-server.js";
import { createReconcilerMetrics } from "./daemon/metrics.js";
import { reconcileOnce } from "./daemon/reconcile-run.js";
import { exitCodeForOutcome } from "./daemon/run-record.js";
import { createRunLoop } from "./daemon/run-loop.js";
import { assertValidSchedule, startSchedule, type Schedule } from "./daemon/scheduler.js";
import { gateApi } from "../apply/shutdown-gate.js";
import type { ApiRequestEvent } from "../qc/api.js";
import { openConnection } from "./connection.js";
import { EXIT } from "./exit-codes.js";

export interface ReconcileOptions {
  readonly file: string;
  /** Exactly one of schedule / once. */
  readonly schedule?: string;
  readonly once: boolean;
  readonly apply: boolean;
  readonly healthPort?: number;
  /** Address of the health server; default 127.0.0.1 (0.0.0.0 in a container scraped from outside). */
  readonly healthHost?: string;
  readonly gitPull: boolean;
  readonly sandbox: boolean;
  readonly apiUrl?: string;
  readonly maxDeletions?: number;
  /** With --apply: the JSON-lines journal (default .qc-collab/journal.jsonl, relative to cwd). */
  readonly journal?: string;
  /** Also told about every API request (--debug); the metrics always are. */
  readonly onRequest?: (event: ApiRequestEvent) => void;
}

export interface DaemonIo {
  /** One JSON line per event goes here (stdout). */
  readonly stdout: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Reads and validates the desired file; throws QcCollabError when it is invalid. */
  readonly loadDesired: (path: string) => Promise<DesiredState>;
  /** Where SIGTERM/SIGINT come from; tests and the CLI pass `process`. */
  readonly signals: Pick<NodeJS.Process, "once" | "off">;
  readonly clock?: () => Date;
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/**
 * `qc-collab reconcile`: the pull-based reconciler (DESIGN.md §8). Runs on a cron schedule (or
 * once), one run at a time, each logged as one JSON line; serves /healthz and /metrics; stops
 * cleanly on SIGTERM/SIGINT. Returns the process exit code: with --once the run's code, else 0
 * after a signal.
 */
export async function runReconciler(options: ReconcileOptions, io: DaemonIo): Promise<number> {
  if ((options.schedule === undefined) === !options.once) {
    throw new QcCollabError("E_USAGE", "reconcile needs exactly one of --schedule CRON or --once");
  }
  if (options.schedule !== undefined) assertValidSchedule(options.schedule);
  const clock = io.clock ?? (() => new Date());
  const log = (line: object) => io.stdout.write(`${JSON.stringify(line)}\n`);
  const metrics = createReconcilerMetrics();
  const file = resolve(io.cwd, options.file);
  const configDir = dirname(file);

  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown;
  const connection = await openConnection({
    env: io.env,
    cwd: io.cwd,
    sandbox: options.sandbox,
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    onRequest: (event) => {
      metrics.recordApiRequest(event);
      options.onRequest?.(event);
    },
    via: "reconcile",
  });
  const api = gateApi(
    connection.api,
    isShuttingDown,
    "interrupted: the reconciler is shutting down (SIGTERM/SIGINT)",
  );
  const identity = connection.identity;

  const loop = createRunLoop({
    metrics,
    log,
    clock,
    run: () =>
      reconcileOnce({
        mode: options.apply ? "apply" : "plan",
        ...(options.gitPull ? { pull: () => gitPullFastForward(configDir) } : {}),
        head: () => gitHead(configDir),
        loadDesired: () => io.loadDesired(options.file),
        api,
        identity: () => Promise.resolve(identity),
        makePlan: (input) => planFromDesired(input),
        applyPlan: async (plan, gated, commit, live) => {
          // Opened per run, before any write: an apply that cannot be audited does not start.
          const journal = await openFileJournal(resolve(io.cwd, options.journal ?? DEFAULT_JOURNAL_PATH));
          try {
            return await applyPlan(plan, {
              api: gated,
              ...(live === undefined ? {} : { live }),
              ...(options.maxDeletions === undefined ? {} : { maxDeletions: options.maxDeletions }),
              journal,
              actor: journalActor(io.env, osUser()),
              commit,
            });
          } finally {
            await journal.close();
          }
        },
        clock,
      }),
  });

  let health: HealthServer | undefined;
  let schedule: Schedule | undefined;
  let wake: (() => void) | undefined;
  const stopped = new Promise<void>((resolveStop) => (wake = resolveStop));
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log({ event: "stopping", time: clock().toISOString(), signal, running: loop.running() });
    wake?.();
  };
  io.signals.once("SIGTERM", onSignal);
  io.signals.once("SIGINT", onSignal);

  try {
    if (options.healthPort !== undefined) {
      health = await startHealthServer({
        port: options.healthPort,
        ...(options.healthHost === undefined ? {} : { host: options.healthHost }),
        state: loop,
        metrics,
      });
      log({
        event: "listening",
        time: clock().toISOString(),
        port: health.port,
        paths: ["/healthz", "/metrics"],
      });
    }
    let exitCode: number = EXIT.ok;
    if (options.once) {
      const record = await loop.trigger();
      exitCode = isShuttingDown() ? EXIT.ok : exitCodeForOutcome(record?.outcome ?? "error");
    } else if (options.schedule !== undefined) {
      schedule = await startSchedule(options.schedule, () => {
        if (!isShuttingDown()) void loop.trigger();
      });
      log({
        event: "scheduled",
        time: clock().toISOString(),
        schedule: options.schedule,
        mode: options.apply ? "apply" : "plan",
      });
      await stopped;
    }
    return exitCode;
  } finally {
    shuttingDown = true;
    await schedule?.stop();
    // The call in flight finishes; the gate refuses the next one, so this wait is short.
    await loop.idle();
    await health?.close();
    await connection.close();
    io.signals.off("SIGTERM", onSignal);
    io.signals.off("SIGINT", onSignal);
    log({ event: "stopped", time: clock().toISOString() });
  }
}
