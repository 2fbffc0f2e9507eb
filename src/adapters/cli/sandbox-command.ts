import { resolve } from "node:path";
import type { Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import { defaultSeedPath } from "../../sandbox/package-root.js";
import { readSeedFile } from "../../sandbox/seed.js";
import { startSandboxServer } from "../../sandbox/server.js";
import type { CliContext } from "./context.js";

interface SandboxFlags {
  port: string;
  host: string;
  seed?: string;
  state?: string;
  strictLock?: boolean;
  lockTtl: string;
  latency: string;
  failRate: string;
  rateLimit: string;
  randomSeed: string;
}

function number(flag: string, raw: string, check: (n: number) => boolean, expected: string): number {
  const value = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(value) || !check(value)) {
    throw new QcCollabError("E_USAGE", `--${flag} must be ${expected} (got "${raw}")`);
  }
  return value;
}

const isInt = (n: number) => Number.isSafeInteger(n);

function parseFlags(flags: SandboxFlags) {
  return {
    port: number("port", flags.port, (n) => isInt(n) && n >= 0 && n <= 65535, "a port number 0..65535"),
    lockTtlSeconds: number(
      "lock-ttl",
      flags.lockTtl,
      (n) => isInt(n) && n > 0,
      "a positive number of seconds",
    ),
    latencyMs: number("latency", flags.latency, (n) => isInt(n) && n >= 0, "milliseconds (0 or more)"),
    failRate: number("fail-rate", flags.failRate, (n) => n >= 0 && n <= 1, "a probability between 0 and 1"),
    rateLimit: number(
      "rate-limit",
      flags.rateLimit,
      (n) => isInt(n) && n >= 0,
      "requests per second (0 = off)",
    ),
    randomSeed: number("random-seed", flags.randomSeed, isInt, "an integer"),
  };
}

/** Resolves on the first SIGTERM or SIGINT: the sandbox then closes and exits 0. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolveSignal(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

async function runSandbox(ctx: CliContext, flags: SandboxFlags): Promise<void> {
  const parsed = parseFlags(flags);
  const seedPath = resolve(ctx.cwd, flags.seed ?? defaultSeedPath());
  const seed = readSeedFile(seedPath);
  const statePath = flags.state === undefined ? undefined : resolve(ctx.cwd, flags.state);
  const host = flags.host;
  let sandbox;
  try {
    sandbox = await startSandboxServer({
      host,
      ...parsed,
      seed,
      ...(statePath === undefined ? {} : { statePath }),
      strictLock: flags.strictLock === true,
      logger: (line) => ctx.stderr.write(`sandbox: ${line}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new QcCollabError("E_USAGE", `cannot listen on ${host}:${parsed.port} (${code})`, {
        hint: "pick another --port (0 chooses a free one)",
      });
    }
    throw error;
  }
  const signal = untilSignal();
  const demo = seed.users[0];
  // The first line is a contract: tests and scripts parse it. One write, so it arrives whole.
  const lines = [`qc-collab sandbox listening on ${sandbox.apiUrl}`];
  if (demo !== undefined) {
    lines.push(
      `Demo user: ${demo.publicId} (QC_USER_ID=${demo.uid}). Its sandbox-only demo token is the "apiToken"`,
      `of that user in ${seedPath}; it works against this sandbox only.`,
      `  export QC_API_URL=${sandbox.apiUrl} QC_USER_ID=${demo.uid} QC_API_TOKEN=<apiToken from the seed>`,
    );
  }
  lines.push(
    `Admin: GET ${sandbox.origin}/__sandbox/state, GET ${sandbox.origin}/__sandbox/stats, POST ${sandbox.origin}/__sandbox/reset`,
    statePath === undefined ? "State: in memory (use --state FILE to persist)" : `State: ${statePath}`,
    "Stop with Ctrl-C.",
  );
  ctx.stdout.write(`${lines.join("\n")}\n`);
  const received = await signal;
  ctx.stderr.write(`sandbox: ${received} received, closing\n`);
  await sandbox.close();
  ctx.exitCode = 0;
}

export function registerSandboxCommand(program: Command, ctx: CliContext): void {
  program
    .command("sandbox")
    .description("run the QuantConnect API emulator on loopback (for tests, demos and benchmarks)")
    .option("--port <port>", "port to listen on (0 = any free port)", "5612")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--seed <file>", "seed organisation (default: the package's examples/sandbox-state.json)")
    .option("--state <file>", "persist state here (loaded if it exists, else created from the seed)")
    .option("--strict-lock", "collaborator writes on projects with collaborators need the project lock")
    .option("--lock-ttl <seconds>", "project lock lifetime", "300")
    .option("--latency <ms>", "delay every API answer", "0")
    .option("--fail-rate <p>", "probability of 500/502/503 or a dropped connection", "0")
    .option("--rate-limit <n>", "requests per second before 429 with Retry-After (0 = off)", "0")
    .option("--random-seed <n>", "seed of the fault generator", "1")
    .action((flags: SandboxFlags) => runSandbox(ctx, flags));
}
