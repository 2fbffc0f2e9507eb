import { Option, type Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import type { ApiRequestEvent } from "../../qc/api.js";
import { ENDPOINTS } from "../../qc/wire-types.js";
import { openConnection, type Connection } from "../connection.js";
import type { CliContext } from "./context.js";

export type { Connection } from "../connection.js";

/** The options every command that talks to QuantConnect shares, as commander parses them. */
export interface ConnectionFlags {
  readonly sandbox?: boolean;
  readonly apiUrl?: string;
  readonly debug?: boolean;
}

export interface ConnectOptions extends ConnectionFlags {
  readonly timeoutMs?: number;
}

/** Adds `--sandbox`, `--api-url URL` and `--debug` to a command (plan, apply, import, lock, whoami). */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--sandbox",
        "use the built-in QuantConnect emulator (state in .qc-collab/sandbox-state.json, demo credentials)",
      ).conflicts("apiUrl"),
    )
    .option(
      "--api-url <url>",
      "QuantConnect API root (default: QC_API_URL or https://www.quantconnect.com/api/v2)",
    )
    .option(
      "--debug",
      "log every API request (endpoint, status, attempt, duration; never secrets) to stderr",
    );
}

/** A command's connection: `--sandbox`, `--api-url` and `--debug` (one log line per request). */
export async function connectToQuantConnect(ctx: CliContext, options: ConnectOptions): Promise<Connection> {
  if (options.sandbox === true && options.apiUrl !== undefined) {
    throw new QcCollabError("E_USAGE", "--sandbox and --api-url cannot be used together");
  }
  return openConnection({
    env: ctx.env,
    cwd: ctx.cwd,
    sandbox: options.sandbox === true,
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.debug === true ? { onRequest: debugLogger(ctx) } : {}),
  });
}

/** One line per exchange; ApiRequestEvent holds no secrets by construction. */
export function formatRequestEvent(event: ApiRequestEvent): string {
  const outcome = event.success === undefined ? "" : event.success ? " success" : " success:false";
  return `debug: POST ${ENDPOINTS[event.endpoint]} -> ${event.status}${outcome} attempt ${event.attempt} ${Math.round(event.durationMs)} ms`;
}

function debugLogger(ctx: CliContext): (event: ApiRequestEvent) => void {
  return (event) => {
    ctx.stderr.write(`${formatRequestEvent(event)}\n`);
  };
}
