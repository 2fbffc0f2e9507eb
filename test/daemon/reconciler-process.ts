import { spawn } from "node:child_process";
import { CLI_PATH } from "../helpers/run-cli.js";

export interface LogEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface ReconcilerProcess {
  /** Parsed JSON lines printed on stdout so far. */
  events(): LogEvent[];
  stderr(): string;
  /** Resolves with the first event (in order of arrival) that matches; rejects after timeoutMs. */
  waitFor(predicate: (event: LogEvent) => boolean, timeoutMs: number): Promise<LogEvent>;
  signal(signal: NodeJS.Signals): void;
  /** Exit code (or signal) once the process ends; SIGKILL after `timeoutMs` so a test never hangs. */
  exit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

/** Runs the BUILT `qc-collab reconcile ...` as a long-lived process and parses its JSON lines. */
export function startReconciler(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): ReconcilerProcess {
  const child = spawn(process.execPath, [CLI_PATH, "reconcile", ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: LogEvent[] = [];
  const waiters = new Set<() => void>();
  let buffer = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      events.push(JSON.parse(line) as LogEvent);
    }
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let killed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      setImmediate(() => {
        resolve({ code, signal });
        for (const wake of waiters) wake();
      });
    });
  });

  return {
    events: () => [...events],
    stderr: () => stderr,
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < events.length; seen++) {
            const event = events[seen];
            if (event !== undefined && predicate(event)) {
              cleanup();
              resolve(event);
              return;
            }
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(
              new Error(`reconciler exited before the awaited event\n${stderr}\n${JSON.stringify(events)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms\n${stderr}\n${JSON.stringify(events)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    signal(signal) {
      child.kill(signal);
    },
    async exit(timeoutMs = 15_000) {
      const killer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, timeoutMs);
      const result = await exited;
      clearTimeout(killer);
      return { ...result, killed };
    },
  };
}
