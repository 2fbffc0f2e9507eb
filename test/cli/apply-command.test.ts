import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/adapters/cli/main.js";
import type { CliIo } from "../../src/adapters/cli/context.js";
import { readSeedFile } from "../../src/sandbox/seed.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

// In-process runs of the CLI with injected streams: the only way to give apply a terminal to ask.
const seed = readSeedFile(join(REPO_ROOT, "examples", "sandbox-state.json"));
const demo = seed.users[0];
let sandbox: RunningSandbox;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "qc-apply-cli-"));
  await writeFile(join(dir, "collaborators.yaml"), await readFile(join(REPO_ROOT, "collaborators.yaml")));
  sandbox = await startSandboxServer({ seed, statePath: join(dir, "state.json") });
});
afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  options: {
    tty: boolean;
    answer?: string;
    env?: Record<string, string>;
    /** Runs when the prompt is shown, before the answer is typed. */
    onPrompt?: () => Promise<void>;
    signals?: CliIo["signals"];
    exit?: CliIo["exit"];
  },
): Promise<Run> {
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty });
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty });
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
  // The answer arrives once the prompt is shown, as a person would type it.
  stderr.on("data", (chunk: string) => {
    if (chunk.includes("Enter a value") && options.answer !== undefined) {
      const answer = options.answer;
      void (options.onPrompt?.() ?? Promise.resolve()).then(() => stdin.write(`${answer}\n`));
    }
  });
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    cwd: dir,
    env: {
      HOME: dir,
      QC_USER_ID: String(demo?.uid),
      QC_API_TOKEN: demo?.apiToken ?? "",
      QC_API_URL: sandbox.apiUrl,
      ...options.env,
    },
    ...(options.signals === undefined ? {} : { signals: options.signals }),
    ...(options.exit === undefined ? {} : { exit: options.exit }),
  };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

async function statArb(): Promise<string[]> {
  const res = await fetch(`${sandbox.origin}/__sandbox/state`);
  const state = (await res.json()) as {
    projects: { projectId: number; collaborators: { publicId: string }[] }[];
  };
  return state.projects.find((p) => p.projectId === 21436589)?.collaborators.map((c) => c.publicId) ?? [];
}

describe("apply on a terminal", () => {
  it("asks, and anything but `yes` aborts with exit 1 and nothing written", async () => {
    const result = await run(["apply"], { tty: true, answer: "y" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Only 'yes' will be accepted");
    expect(result.stderr).toContain("apply cancelled");
    expect(await statArb()).toContain("leo_contractor");
  });

  it("applies after `yes`, shows progress on the terminal's stderr and the result table on stdout", async () => {
    const result = await run(["apply"], { tty: true, answer: "yes" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Plan: \d+ to add/);
    expect(result.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped, in 3 projects/);
    expect(result.stderr).toMatch(/applying \d+\/\d+ changes/);
    expect(await statArb()).not.toContain("leo_contractor");
  });

  it("shows no progress when CI is set", async () => {
    const result = await run(["apply", "--auto-approve"], { tty: true, env: { CI: "true" } });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("applying");
  });

  it("--format json puts one JSON document on stdout and the plan on stderr", async () => {
    const result = await run(["apply", "--auto-approve", "--format", "json", "--journal", "j/x.jsonl"], {
      tty: false,
    });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { formatVersion: number; result: { status: string } };
    expect(parsed.formatVersion).toBe(1);
    expect(parsed.result.status).toBe("applied");
    expect(result.stderr).toMatch(/Plan: \d+ to add/);
    expect(await readFile(join(dir, "j", "x.jsonl"), "utf8")).toContain('"action":"verify"');
  });

  it("--no-lock skips lock/acquire; --code-source-id is what the lock records", async () => {
    const noLock = await run(["apply", "--auto-approve", "--no-lock", "--target", "Execution Research"], {
      tty: false,
    });
    expect(noLock.code).toBe(0);
    const journal = await readFile(join(dir, ".qc-collab", "journal.jsonl"), "utf8");
    expect(journal).not.toContain('"action":"lock"');
    const locked = await run(["apply", "--auto-approve", "--code-source-id", "ci-bot"], { tty: false });
    expect(locked.code).toBe(0);
    const res = await fetch(`${sandbox.origin}/__sandbox/state`);
    const state = (await res.json()) as { locks: { projectId: number; codeSourceId: string }[] };
    expect(state.locks.map((l) => l.codeSourceId)).toContain("ci-bot");
    expect(state.locks.map((l) => l.projectId)).not.toContain(21436591);
  });
});

async function callsTo(endpoint: string): Promise<number> {
  const res = await fetch(`${sandbox.origin}/__sandbox/stats`);
  const stats = (await res.json()) as { byEndpoint: Record<string, Record<string, number>> };
  return Object.values(stats.byEndpoint[endpoint] ?? {}).reduce((a, b) => a + b, 0);
}

async function writes(): Promise<number> {
  const counts = await Promise.all(
    ["create", "update", "delete"].map((w) => callsTo(`/projects/collaboration/${w}`)),
  );
  return counts.reduce((a, b) => a + b, 0);
}

describe("apply PLANFILE on a terminal", () => {
  it("refuses a stale plan before asking: nobody approves a plan that is then refused", async () => {
    expect((await run(["plan", "--out", "p.json"], { tty: false })).code).toBe(0);
    // Somebody changes Stat Arb Pairs between the review and the apply.
    await writeFile(
      join(dir, "other.yaml"),
      "version: 1\nprojects:\n  - id: 21436589\n    collaborators:\n      - user: jun_intern\n",
    );
    expect((await run(["apply", "-f", "other.yaml", "--auto-approve"], { tty: false })).code).toBe(0);
    const writesBefore = await writes();
    const result = await run(["apply", "p.json"], { tty: true, answer: "yes" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("E_STALE_PLAN");
    expect(result.stderr).toContain('"Stat Arb Pairs" (#21436589)');
    expect(result.stderr).not.toContain("Enter a value");
    expect(await writes()).toBe(writesBefore);
  });

  it("reads every project once, before the prompt, and applies against those reads", async () => {
    expect((await run(["plan", "--out", "p.json"], { tty: false })).code).toBe(0);
    const plan = JSON.parse(await readFile(join(dir, "p.json"), "utf8")) as { projects: unknown[] };
    const read = "/projects/collaboration/read";
    const readsBefore = await callsTo(read);
    const atPrompt = { reads: -1, writes: -1 };
    const result = await run(["apply", "p.json"], {
      tty: true,
      answer: "yes",
      onPrompt: async () => {
        atPrompt.reads = (await callsTo(read)) - readsBefore;
        atPrompt.writes = await writes();
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(atPrompt).toEqual({ reads: plan.projects.length, writes: 0 });
    expect((await callsTo(read)) - readsBefore).toBe(plan.projects.length);
    expect(result.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped/);
    expect(await statArb()).not.toContain("leo_contractor");
  });
});

describe("apply interrupted (injected signals, sandbox with latency)", () => {
  beforeEach(async () => {
    // The writes take 200 ms each, so a signal lands while the first calls are in flight.
    await sandbox.close();
    sandbox = await startSandboxServer({ seed, statePath: join(dir, "slow.json"), latencyMs: 200 });
  });

  /** Sends SIGINT `times` times as soon as apply has opened its journal, i.e. is about to write. */
  function signalWhenWriting(signals: EventEmitter, times: number): void {
    const timer = setInterval(() => {
      if (!existsSync(join(dir, ".qc-collab", "journal.jsonl"))) return;
      clearInterval(timer);
      for (let i = 0; i < times; i += 1) signals.emit("SIGINT", "SIGINT");
    }, 5);
  }

  it("before anything is written: every change skipped, table and summary printed, exit 1", async () => {
    const signals = new EventEmitter();
    signalWhenWriting(signals, 1);
    const result = await run(["apply", "--auto-approve"], { tty: false, signals: signals as never });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("SIGINT: stopping; the calls in flight finish");
    expect(result.stdout).toMatch(/Apply failed: 0 applied, 0 failed, 5 skipped, in 3 projects/);
    expect(result.stdout).toContain("E_INTERRUPTED: not attempted: interrupted");
    expect(result.stderr).toContain("Interrupted: 5 changes not attempted");
    const journal = (await readFile(join(dir, ".qc-collab", "journal.jsonl"), "utf8")).trim().split("\n");
    const changes = journal.map((l) => JSON.parse(l) as { action: string; outcome: string });
    expect(changes.filter((e) => e.action !== "lock").map((e) => e.outcome)).toEqual(
      Array(5).fill("skipped"),
    );
    expect(await statArb()).toContain("leo_contractor");
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
  });

  it("a second signal exits at once with 130", async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    signalWhenWriting(signals, 2);
    const result = await run(["apply", "--auto-approve"], {
      tty: false,
      signals: signals as never,
      exit: (code) => exits.push(code),
    });
    expect(exits).toEqual([130]);
    expect(result.stderr).toContain("SIGINT again: exiting now");
  });
});
