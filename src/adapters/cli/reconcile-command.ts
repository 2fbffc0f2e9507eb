import { InvalidArgumentError, Option, type Command } from "commander";
import { runReconciler } from "../daemon.js";
import { addConnectionOptions, formatRequestEvent } from "./connect.js";
import type { CliContext } from "./context.js";
import { DEFAULT_FILE, loadDesiredOrFail, parseCount } from "./plan-support.js";

interface ReconcileFlags {
  readonly file: string;
  readonly schedule?: string;
  readonly once?: boolean;
  readonly apply?: boolean;
  readonly healthPort?: number;
  readonly healthHost?: string;
  readonly gitPull?: boolean;
  readonly sandbox?: boolean;
  readonly apiUrl?: string;
  readonly maxDeletions?: number;
  readonly journal?: string;
  readonly debug?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new InvalidArgumentError("the port must be a whole number from 0 to 65535 (0 = any free port)");
  }
  return port;
}

/** `qc-collab reconcile`: the cron reconciler (src/adapters/daemon.ts does the work). */
export function registerReconcileCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("reconcile")
    .description(
      "keep QuantConnect in line with the file: plan (or apply) on a cron schedule, one JSON log line per run",
    )
    .option("-f, --file <file>", "desired-state file", DEFAULT_FILE)
    .addOption(
      new Option(
        "--schedule <cron>",
        'cron expression (5 fields, or 6 with seconds), e.g. "*/15 * * * *"',
      ).conflicts("once"),
    )
    .option("--once", "run once and exit with that run's exit code")
    .option("--apply", "apply the plan (default: plan only and report drift)")
    .option(
      "--max-deletions <n>",
      "apply stops before any write if the plan removes more",
      parseCount("--max-deletions", 0),
    )
    .option(
      "--journal <file>",
      "with --apply: append every operation to this JSON-lines file (default .qc-collab/journal.jsonl)",
    )
    .option(
      "--health-port <port>",
      "serve GET /healthz and GET /metrics on 127.0.0.1:PORT (0 = any free port)",
      parsePort,
    )
    .option("--health-host <host>", "address for --health-port (default 127.0.0.1; 0.0.0.0 in a container)")
    .option("--git-pull", "run `git pull --ff-only` in the file's directory before each run");
  addConnectionOptions(command).action(async (flags: ReconcileFlags) => {
    ctx.exitCode = await runReconciler(
      {
        file: flags.file,
        ...(flags.schedule === undefined ? {} : { schedule: flags.schedule }),
        once: flags.once === true,
        apply: flags.apply === true,
        ...(flags.healthPort === undefined ? {} : { healthPort: flags.healthPort }),
        ...(flags.healthHost === undefined ? {} : { healthHost: flags.healthHost }),
        gitPull: flags.gitPull === true,
        sandbox: flags.sandbox === true,
        ...(flags.apiUrl === undefined ? {} : { apiUrl: flags.apiUrl }),
        ...(flags.maxDeletions === undefined ? {} : { maxDeletions: flags.maxDeletions }),
        ...(flags.journal === undefined ? {} : { journal: flags.journal }),
        ...(flags.debug === true
          ? { onRequest: (event) => ctx.stderr.write(`${formatRequestEvent(event)}\n`) }
          : {}),
      },
      {
        stdout: ctx.stdout,
        env: ctx.env,
        cwd: ctx.cwd,
        // Diagnostics of an invalid file go to stderr as text; stdout carries only JSON lines.
        loadDesired: (file) => loadDesiredOrFail(ctx, file),
        signals: process,
      },
    );
  });
}
