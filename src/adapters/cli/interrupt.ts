import { EXIT } from "../exit-codes.js";
import type { CliIo } from "./context.js";

export interface Interruption {
  /** The signal that asked to stop, once one has. */
  readonly signal: () => NodeJS.Signals | undefined;
  /** Removes the handlers: the default signal behaviour applies again. */
  readonly dispose: () => void;
}

/**
 * Graceful stop for a command that writes (apply): the first SIGINT/SIGTERM only sets a flag, which
 * the shutdown gate (src/apply/shutdown-gate.ts) turns into "start no new call"; the calls in flight
 * finish and the command reports what was done. A second signal ends the process at once (130), for
 * whoever does not want to wait for the calls in flight.
 */
export function watchInterrupts(io: CliIo, onFirst: (signal: NodeJS.Signals) => void): Interruption {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== undefined) {
      io.stderr.write(`\n${signal} again: exiting now; calls in flight may or may not have taken effect.\n`);
      io.exit?.(EXIT.interruptedAgain);
      return;
    }
    received = signal;
    onFirst(signal);
  };
  io.signals?.on("SIGINT", handler);
  io.signals?.on("SIGTERM", handler);
  return {
    signal: () => received,
    dispose: () => {
      io.signals?.off("SIGINT", handler);
      io.signals?.off("SIGTERM", handler);
    },
  };
}
