import { homedir } from "node:os";
import type { Identity } from "../model/live-state.js";
import type { ApiRequestEvent, QuantConnectApi } from "../qc/api.js";
import { createQuantConnectClient } from "../qc/client.js";
import { resolveApiUrl, resolveCredentials } from "../qc/credentials.js";
import type { Credentials } from "../qc/signing.js";
import { startEmbeddedSandbox } from "../sandbox/embedded.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";

export interface OpenConnectionOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Use the embedded emulator and its demo user instead of real credentials. */
  readonly sandbox?: boolean;
  /** `--api-url`; otherwise QC_API_URL, otherwise QuantConnect's own. */
  readonly apiUrl?: string;
  /** Credentials handed over explicitly (the Action's inputs); otherwise resolved from env / lean. */
  readonly credentials?: Credentials;
  readonly timeoutMs?: number;
  /** Every HTTP exchange (debug logs, Prometheus metrics); events never hold secrets. */
  readonly onRequest?: (event: ApiRequestEvent) => void;
  /** Appended to the User-Agent, e.g. "github-action". */
  readonly via?: string;
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

/**
 * The one place every front door (CLI, Action, reconciler) gets its QuantConnect client: real
 * credentials and API URL, or the embedded sandbox with its demo user.
 */
export async function openConnection(options: OpenConnectionOptions): Promise<Connection> {
  const userAgent = `${TOOL_NAME}/${TOOL_VERSION}${options.via === undefined ? "" : ` (${options.via})`}`;
  const client = (apiUrl: string, credentials: Credentials) =>
    createQuantConnectClient({
      apiUrl,
      credentials,
      timeoutMs: options.timeoutMs,
      userAgent,
      onRequest: options.onRequest,
    });
  if (options.sandbox === true) {
    const sandbox = await startEmbeddedSandbox({ cwd: options.cwd });
    let closed = false;
    return {
      api: client(sandbox.apiUrl, sandbox.credentials),
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
  const apiUrl = resolveApiUrl(options.apiUrl, options.env);
  const credentials =
    options.credentials ??
    (await resolveCredentials({ env: options.env, homeDir: homeDirectory(options.env) }));
  return {
    api: client(apiUrl, credentials),
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
