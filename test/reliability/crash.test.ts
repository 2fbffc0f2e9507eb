import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/sandbox/prng.js";
import { CLI_PATH } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { changedOrganisation, cli, readJournal, stateDifferences, workdir } from "./reliability-helpers.js";

/*
 * Crash: the apply process is killed with SIGKILL at a random point (after a random delay, or
 * once the journal has N lines), while it runs against a sandbox with 20 ms latency. Re-running
 * apply must converge (exit 0), leave the desired state, and a final plan must be empty.
 */
const PROJECTS = 24;
const CHANGES = PROJECTS * 3;

type KillPoint =
  { readonly kind: "delay"; readonly ms: number } | { readonly kind: "journal"; readonly lines: number };

interface Killed {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly output: string;
}

/** Starts `apply --auto-approve` and SIGKILLs it at `point` (unless it finished first). */
function applyAndKill(
  sandbox: SandboxProcess,
  dir: string,
  journal: string,
  point: KillPoint,
): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, "apply", "--auto-approve", "--journal", journal], {
      cwd: dir,
      env: { ...process.env, ...sandbox.env(), NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    const kill = () => child.kill("SIGKILL");
    const timers: NodeJS.Timeout[] = [setTimeout(kill, 30_000)];
    if (point.kind === "delay") timers.push(setTimeout(kill, point.ms));
    else {
      timers.push(
        setInterval(() => {
          if (!existsSync(journal)) return;
          const lines = readFileSync(journal, "utf8")
            .split("\n")
            .filter((l) => l !== "").length;
          if (lines >= point.lines) kill();
        }, 5),
      );
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, signal, output });
    });
  });
}

function killPoints(seed: number): KillPoint[] {
  const random = mulberry32(seed);
  return [
    { kind: "delay", ms: 450 + Math.floor(random() * 500) },
    { kind: "delay", ms: 450 + Math.floor(random() * 500) },
    { kind: "delay", ms: 450 + Math.floor(random() * 500) },
    { kind: "journal", lines: 1 + Math.floor(random() * 40) },
    { kind: "journal", lines: 41 + Math.floor(random() * 40) },
  ];
}

describe("crash: apply killed with SIGKILL at random points", () => {
  const org = changedOrganisation(PROJECTS, 4);
  const work = workdir();
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    work.write("collaborators.yaml", org.desiredYaml);
    sandbox = await startSandboxProcess({ seed: org.seed, args: ["--latency", "20"] });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  const points = killPoints(4242);
  const partial: number[] = [];

  it.each(points.map((point, i) => ({ point, i })))(
    "kill point $i ($point.kind) then re-run converges",
    { timeout: 60_000 },
    async ({ point }) => {
      await sandbox.reset();
      const journal = work.path("journal.jsonl");
      rmSync(journal, { force: true });
      const run = cli(sandbox, work.dir);

      const killed = await applyAndKill(sandbox, work.dir, journal, point);
      expect(
        killed.signal,
        `apply ended by itself (exit ${String(killed.code)}) before the kill point\n${killed.output}`,
      ).toBe("SIGKILL");
      const remaining = stateDifferences(await sandbox.state(), org.desired).length;
      partial.push(remaining);

      const rerun = await run(["apply", "--auto-approve", "--journal", journal]);
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(stateDifferences(await sandbox.state(), org.desired)).toEqual([]);
      const plan = await run(["plan", "--detailed-exitcode"]);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);

      // The journal of the killed run is still readable line by line (each line is one append).
      const lines = readJournal(readFileSync(journal, "utf8"));
      const runs = new Set(lines.map((l) => l.runId));
      expect(runs.size).toBeLessThanOrEqual(2);
      // What the re-run applied plus what the killed run applied is the plan, nothing twice.
      const applied = lines
        .filter((l) => l.outcome === "applied")
        .map((l) => `${String(l.projectId)} ${l.action} ${l.user ?? ""}`);
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBeLessThanOrEqual(CHANGES);
    },
  );

  it("the kills really landed mid-apply: some runs left a partly applied state", () => {
    // Projects still differing from the desired state after each kill: neither all nor none, at least once.
    expect(
      partial.some((n) => n > 0 && n < PROJECTS),
      `projects left to do after each kill: ${partial.join(", ")}`,
    ).toBe(true);
  });
});
