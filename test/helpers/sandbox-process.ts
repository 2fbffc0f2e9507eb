import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "../../src/qc/signing.js";
import type { AdminState as SandboxAdminState } from "../../src/sandbox/admin.js";
import type { StatsSnapshot as SandboxAdminStats } from "../../src/sandbox/request-stats.js";
import { CLI_PATH, REPO_ROOT } from "./run-cli.js";

// The admin endpoints' answers, typed by the sandbox itself so the two can never drift apart.
export type { AdminState as SandboxAdminState } from "../../src/sandbox/admin.js";
export type { StatsSnapshot as SandboxAdminStats } from "../../src/sandbox/request-stats.js";

export interface SandboxExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SandboxProcess {
  /** http://127.0.0.1:PORT/api/v2 */
  readonly apiUrl: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The state file the process persists to (inside a temp dir unless given). */
  readonly statePath: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Credentials of a seed user (default: the first one, the demo user). */
  credentialsFor(publicId?: string): Credentials;
  /** QC_USER_ID / QC_API_TOKEN / QC_API_URL for running the CLI against this sandbox. */
  env(publicId?: string): Record<string, string>;
  state(): Promise<SandboxAdminState>;
  stats(): Promise<SandboxAdminStats>;
  reset(): Promise<void>;
  /** What the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends the signal (default SIGTERM), waits for the exit (SIGKILL after 5 s), removes temp dirs. */
  stop(signal?: NodeJS.Signals): Promise<SandboxExit>;
}

export interface StartSandboxProcessOptions {
  /** A seed object, or a path to a seed file. Default: the repository's examples/sandbox-state.json. */
  seed?: object | string;
  /** Default: a fresh temp file. */
  statePath?: string;
  /** Extra flags, e.g. ["--strict-lock", "--fail-rate", "0.2"]. */
  args?: string[];
  /** How long to wait for the listening line; default 15 s. */
  startTimeoutMs?: number;
}

const LISTENING = /^qc-collab sandbox listening on (http:\/\/\S+)\/api\/v2$/;

interface SeedUsers {
  users: { uid: number; publicId: string; apiToken: string }[];
}

/**
 * Starts the BUILT CLI (`node bin/qc-collab.js sandbox --port 0 ...`) as a real process and
 * waits for its listening line. Build first (`npx tsc -p tsconfig.build.json`).
 */
export async function startSandboxProcess(options: StartSandboxProcessOptions = {}): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), "qc-collab-sandbox-"));
  let seedPath: string;
  if (typeof options.seed === "string") seedPath = options.seed;
  else if (options.seed !== undefined) {
    seedPath = join(dir, "seed.json");
    writeFileSync(seedPath, JSON.stringify(options.seed, null, 2));
  } else seedPath = join(REPO_ROOT, "examples", "sandbox-state.json");
  const seed = JSON.parse(readFileSync(seedPath, "utf8")) as SeedUsers;
  const statePath = options.statePath ?? join(dir, "state.json");

  const child = spawn(
    process.execPath,
    [CLI_PATH, "sandbox", "--port", "0", "--seed", seedPath, "--state", statePath, ...(options.args ?? [])],
    { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<SandboxExit>((resolve) => {
    child.on("exit", (code, signal) => {
      // Let the pipes drain before reporting the output.
      setImmediate(() => {
        resolve({ code, signal, stdout, stderr });
      });
    });
  });
  const cleanup = () => {
    if (options.statePath === undefined || !options.statePath.startsWith(dir)) {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  let origin: string;
  try {
    origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`sandbox did not start within ${options.startTimeoutMs ?? 15_000} ms\n${stderr}`));
      }, options.startTimeoutMs ?? 15_000);
      const check = () => {
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        clearTimeout(timer);
        const match = LISTENING.exec(stdout.slice(0, newline));
        if (match?.[1] === undefined) reject(new Error(`unexpected first line: ${stdout.slice(0, newline)}`));
        else resolve(match[1]);
      };
      child.stdout.on("data", check);
      void exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`sandbox exited (${exit.code ?? exit.signal}) before listening\n${exit.stderr}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    cleanup();
    throw error;
  }

  const credentialsFor = (publicId?: string): Credentials => {
    const user = publicId === undefined ? seed.users[0] : seed.users.find((u) => u.publicId === publicId);
    if (user === undefined) throw new Error(`no user ${publicId ?? "(first)"} in the sandbox seed`);
    return { userId: String(user.uid), apiToken: user.apiToken };
  };
  const admin = async <T>(path: string, method = "GET"): Promise<T> => {
    const response = await fetch(`${origin}${path}`, { method, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  let stopped: Promise<SandboxExit> | undefined;

  return {
    apiUrl: `${origin}/api/v2`,
    origin,
    statePath,
    child,
    credentialsFor,
    env(publicId) {
      const credentials = credentialsFor(publicId);
      return {
        QC_USER_ID: credentials.userId,
        QC_API_TOKEN: credentials.apiToken,
        QC_API_URL: `${origin}/api/v2`,
      };
    },
    state: () => admin<SandboxAdminState>("/__sandbox/state"),
    stats: () => admin<SandboxAdminStats>("/__sandbox/stats"),
    reset: async () => {
      await admin("/__sandbox/reset", "POST");
    },
    output: () => ({ stdout, stderr }),
    stop(signal = "SIGTERM") {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        const exit = await exited;
        clearTimeout(killer);
        cleanup();
        return exit;
      })();
      return stopped;
    },
  };
}
