import { homedir } from "node:os";
import { Option, type Command } from "commander";
import type { Identity } from "../../model/live-state.js";
import { QcCollabError } from "../../model/errors.js";
import type { ApiRequestEvent, QuantConnectApi } from "../../qc/api.js";
import { createQuantConnectClient } from "../../qc/client.js";
import { resolveApiUrl, resolveCredentials } from "../../qc/credentials.js";
import { ENDPOINTS } from "../../qc/wire-types.js";
import { startEmbeddedSandbox } from "../../sandbox/embedded.js";
import { TOOL_NAME, TOOL_VERSION } from "../../version.js";
import type { CliContext } from "./context.js";

/** The options every command that talks to QuantConnect shares, as commander parses them. */
export interface ConnectionFlags {
  readonly sandbox?: boolean;
  readonly apiUrl?: string;
  readonly debug?: boolean;
}

export interface ConnectOptions extends ConnectionFlags {
  readonly timeoutMs?: number;
}

export interface Connection {
  readonly api: QuantConnectApi;
  /** From the credentials; the self-lockout guard protects this user. */
  readonly identity: Identity;
  readonly apiUrl: string;
  /** True when talking to the embedded emulator. */
  readonly sandbox: boolean;
  /** Stops the embedded sandbox, if one was started; safe to call twice. */
  close(): Promise<void>;
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

/**
 * The one place a command gets its QuantConnect client: real credentials and API URL, or the
 * embedded sandbox with its demo user. The caller must `close()` the connection.
 */
export async function connectToQuantConnect(ctx: CliContext, options: ConnectOptions): Promise<Connection> {
  const onRequest = options.debug === true ? debugLogger(ctx) : undefined;
  const userAgent = `${TOOL_NAME}/${TOOL_VERSION}`;
  if (options.sandbox === true) {
    if (options.apiUrl !== undefined) {
      throw new QcCollabError("E_USAGE", "--sandbox and --api-url cannot be used together");
    }
    const sandbox = await startEmbeddedSandbox({ cwd: ctx.cwd });
    let closed = false;
    return {
      api: createQuantConnectClient({
        apiUrl: sandbox.apiUrl,
        credentials: sandbox.credentials,
        timeoutMs: options.timeoutMs,
        userAgent,
        onRequest,
      }),
      identity: { uid: Number(sandbox.credentials.userId) },
      apiUrl: sandbox.apiUrl,
      sandbox: true,
      close: async () => {
        if (closed) return;
        closed = true;
        await sandbox.close();
      },
    };
  }
  const apiUrl = resolveApiUrl(options.apiUrl, ctx.env);
  const credentials = await resolveCredentials({ env: ctx.env, homeDir: homeDirectory(ctx.env) });
  return {
    api: createQuantConnectClient({
      apiUrl,
      credentials,
      timeoutMs: options.timeoutMs,
      userAgent,
      onRequest,
    }),
    identity: { uid: Number(credentials.userId) },
    apiUrl,
    sandbox: false,
    close: () => Promise.resolve(),
  };
}

// HOME from the injected env first, so tests (and users) can point at another lean login.
function homeDirectory(env: NodeJS.ProcessEnv): string {
  return env["HOME"] ?? env["USERPROFILE"] ?? homedir();
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
