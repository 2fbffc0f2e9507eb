import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { measureCpuLarge, measureValidateLarge } from "./cpu-large.js";
import { generateSeed } from "./generate.js";
import { startSandbox } from "./sandbox-harness.js";
import { measureLibrary, measureSequential, prepareSize, type ScenarioResult } from "./scenarios.js";
import { cpuTable, scenarioTable, speedupTable, type Speedup } from "./table.js";

/**
 * `npm run bench`: the figures of issue 6 in one run. Network cases run against a sandbox
 * process with 20 ms latency; the CPU case runs in a child process without network.
 * Flags: --sizes 100,500,1000  --latency 20  --skip-sequential  --skip-c4  --skip-cpu  --persist
 *
 * The sandbox keeps its state in memory unless --persist: with --state it rewrites the whole state
 * file before answering every write, which measures the emulator's disk, not qc-collab (see
 * docs/performance.md for both figures).
 */

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,500,1000" },
    latency: { type: "string", default: "20" },
    collaborators: { type: "string", default: "10" },
    "skip-sequential": { type: "boolean", default: false },
    "skip-c4": { type: "boolean", default: false },
    "skip-cpu": { type: "boolean", default: false },
    persist: { type: "boolean", default: false },
  },
});

const sizes = values.sizes.split(",").map(Number);
const latencyMs = Number(values.latency);
const collaborators = Number(values.collaborators);

// Fewer runs for the big sizes keep the whole benchmark within a few minutes.
const runsFor = (projects: number) => (projects <= 100 ? 5 : 3);
const c4RunsFor = (projects: number) => (projects <= 100 ? 3 : 1);
const C4_MAX = 500;
const sequentialRunsFor = (projects: number) => (projects <= 100 ? 2 : 1);
const SEQUENTIAL_MAX = 500;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const cpu = cpus();
  log(
    `qc-collab benchmark: node ${process.version}, ${String(cpu.length)} × ${cpu[0]?.model ?? "?"}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GB, latency ${String(latencyMs)} ms`,
  );
  const results: ScenarioResult[] = [];
  const speedups: Speedup[] = [];
  for (const projects of sizes) {
    const seed = generateSeed({ projects, collaborators });
    const sandbox = await startSandbox(seed, { latencyMs, persist: values.persist });
    try {
      const ctx = await prepareSize(seed, sandbox, latencyMs);
      log(`${String(projects)} projects: library c=16`);
      const c16 = await measureLibrary(ctx, 16, runsFor(projects));
      results.push(...c16);
      if (!values["skip-c4"] && projects <= C4_MAX) {
        log(`${String(projects)} projects: library c=4`);
        results.push(...(await measureLibrary(ctx, 4, c4RunsFor(projects))));
      }
      if (!values["skip-sequential"] && projects <= SEQUENTIAL_MAX) {
        log(`${String(projects)} projects: sequential client`);
        const sequential = await measureSequential(ctx, sequentialRunsFor(projects));
        results.push(...sequential);
        for (const s of sequential) {
          const lib = c16.find((r) => r.scenario === s.scenario);
          if (lib !== undefined) {
            speedups.push({
              projects,
              scenario: s.scenario,
              sequentialMs: s.medianMs,
              libraryMs: lib.medianMs,
            });
          }
        }
      }
    } finally {
      await sandbox.stop();
    }
  }
  const out: string[] = [
    `Network: sandbox process (state ${values.persist ? "persisted to a file after every write" : "in memory"}), ` +
      `${String(latencyMs)} ms latency per call, ${String(collaborators)} collaborators per project`,
    "",
    scenarioTable(results),
    "",
  ];
  if (speedups.length > 0) out.push("Speed-up over the sequential client", "", speedupTable(speedups), "");
  if (!values["skip-cpu"]) {
    log("CPU case: 10,000 projects × 25 collaborators");
    out.push("CPU side (no network)", "", cpuTable(await measureCpuLarge()), "");
    log("CPU case: validate only (bench/validate-large.ts)");
    const v = await measureValidateLarge();
    out.push(
      `validate only (measureValidateLarge, ${String(v.projects)} projects, ${String(v.grants)} grants, ${String(v.fileMb)} MB, ` +
        `median of ${String(v.runs)}): wall ${String(v.wallMs)} ms, CPU ${String(v.cpuMs)} ms, peak RSS ${String(v.peakRssMb)} MB`,
      "",
    );
  }
  const failures = results.filter((r) => r.callCheck === "FAIL");
  for (const f of failures)
    out.push(`call check FAIL: ${String(f.projects)} ${f.scenario} ${f.client}: ${f.callCheckDetail}`);
  process.stdout.write(`${out.join("\n")}\n`);
}

await main();
