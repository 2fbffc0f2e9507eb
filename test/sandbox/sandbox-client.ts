import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signRequest, type Credentials } from "../../src/qc/signing.js";
import type { SandboxSeed } from "../../src/sandbox/seed.js";

/** The repository's demo organisation (examples/sandbox-state.json). */
export const EXAMPLE_SEED_PATH = fileURLToPath(new URL("../../examples/sandbox-state.json", import.meta.url));

export function exampleSeed(): SandboxSeed {
  return JSON.parse(readFileSync(EXAMPLE_SEED_PATH, "utf8")) as SandboxSeed;
}

export function credentialsOf(seed: SandboxSeed, publicId: string): Credentials {
  const user = seed.users.find((u) => u.publicId === publicId);
  if (user === undefined) throw new Error(`no user ${publicId}`);
  return { userId: String(user.uid), apiToken: user.apiToken };
}

export interface CallOptions {
  /** JSON body (default encoding). */
  json?: unknown;
  /** Form-urlencoded body. */
  form?: Record<string, string>;
  /** GET with a query string. */
  query?: Record<string, string>;
  /** Signing time (default: now). */
  nowMs?: number;
  /** Replaces or removes (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** One signed request over real HTTP, built the way QuantConnect documents it. */
export async function call(
  apiUrl: string,
  path: string,
  credentials: Credentials | undefined,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (credentials !== undefined)
    Object.assign(headers, signRequest(credentials, options.nowMs ?? Date.now()));
  let body: string | undefined;
  let method = "POST";
  let url = `${apiUrl}${path}`;
  if (options.query !== undefined) {
    method = "GET";
    url += `?${new URLSearchParams(options.query).toString()}`;
  } else if (options.form !== undefined) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const sent = Object.entries({ ...headers, ...options.headers }).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const response = await fetch(url, {
    method,
    headers: sent,
    body: body ?? null,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // non-JSON answers keep an empty body; tests look at `text`
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function adminGet<T>(origin: string, path: string): Promise<T> {
  const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(10_000) });
  return (await response.json()) as T;
}

/** A controllable clock for lock TTLs and timestamp checks. */
export function fakeClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}
