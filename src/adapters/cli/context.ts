/**
 * What a command needs from the outside world, injected so that tests can run commands in-process
 * and so that nothing deep in the code reads `process` directly.
 */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Where SIGINT/SIGTERM come from (`process`); without it a command installs no handler. */
  readonly signals?: Pick<NodeJS.Process, "on" | "off">;
  /** Ends the process at once (a second Ctrl-C during apply); `process.exit` by default. */
  readonly exit?: (code: number) => void;
}

export interface CliContext extends CliIo {
  /** Set by a command's action; main() returns it. */
  exitCode: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
    exit: (code) => process.exit(code),
  };
}

/** Colour only on a TTY, and never with NO_COLOR or CI (DESIGN.md §3). */
export function useColor(io: CliIo): boolean {
  return io.stdout.isTTY === true && io.env["NO_COLOR"] === undefined && io.env["CI"] === undefined;
}
