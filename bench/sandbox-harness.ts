import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../src/sandbox/package-root.js";
import type { GeneratedSeed } from "./generate.js";

/** Requests per endpoint and answer ("200", "429", "dropped"...), as GET /__sandbox/stats gives them. */
export interface SandboxStats {
  total: number;
  byEndpoint: Record<string, Record<string, number>>;
}

export interface RunningSandbox {
  /** http://127.0.0.1:PORT/api/v2 */
  readonly apiUrl: string;
  readonly origin: string;
  readonly dir: string;
  stats(): Promise<SandboxStats>;
  /** Counters only (POST /__sandbox/stats/reset). */
  resetStats(): Promise<void>;
  /** State back to the seed, counters and fault generator reset (POST /__sandbox/reset). */
  reset(): Promise<void>;
  state(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface SandboxFlags {
  readonly latencyMs?: number;
  readonly failRate?: number;
  readonly rateLimit?: number;
  readonly randomSeed?: number;
  /** Persist the state to a file after every change (the sandbox's --state); default true. */
  readonly persist?: boolean;
}

const LISTENING = /^qc-collab sandbox listening on (http:\/\/\S+)\/api\/v2$/;

export function cliPath(): string {
  return join(packageRoot(), "bin", "qc-collab.js");
}

/**
 * Starts the built CLI's sandbox as its own process, as a user would, so the benchmark measures
 * the client across a real loopback connection and the sandbox's CPU is not on our event loop.
 */
export async function startSandbox(seed: GeneratedSeed, flags: SandboxFlags = {}): Promise<RunningSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "qc-collab-bench-"));
  const seedPath = join(dir, "seed.json");
  writeFileSync(seedPath, JSON.stringify(seed));
  const args = [
    cliPath(),
    "sandbox",
    "--port",
    "0",
    "--seed",
    seedPath,
    ...(flags.persist === false ? [] : ["--state", join(dir, "state.json")]),
    "--latency",
    String(flags.latencyMs ?? 0),
    "--fail-rate",
    String(flags.failRate ?? 0),
    "--rate-limit",
    String(flags.rateLimit ?? 0),
    "--random-seed",
    String(flags.randomSeed ?? 1),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  // The sandbox logs every request to stderr: keep only the tail, for error messages.
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });

  let origin: string;
  try {
    origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`sandbox did not start in 30 s\n${stderr}`));
      }, 30_000);
      const check = (): void => {
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        clearTimeout(timer);
        const match = LISTENING.exec(stdout.slice(0, newline));
        if (match?.[1] === undefined) reject(new Error(`unexpected first line: ${stdout.slice(0, newline)}`));
        else resolve(match[1]);
      };
      child.stdout?.on("data", check);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`sandbox exited before listening\n${stderr}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const admin = async <T>(path: string, method = "GET"): Promise<T> => {
    const response = await fetch(`${origin}${path}`, { method, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${String(response.status)}`);
    return (await response.json()) as T;
  };
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: `${origin}/api/v2`,
    origin,
    dir,
    stats: () => admin<SandboxStats>("/__sandbox/stats"),
    resetStats: async () => {
      await admin("/__sandbox/stats/reset", "POST");
    },
    reset: async () => {
      await admin("/__sandbox/reset", "POST");
    },
    state: () => admin<unknown>("/__sandbox/state"),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Successful calls per endpoint (HTTP 200), the figure the "one call per read/change" check uses. */
export function okCalls(stats: SandboxStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [endpoint, counts] of Object.entries(stats.byEndpoint)) out[endpoint] = counts["200"] ?? 0;
  return out;
}
