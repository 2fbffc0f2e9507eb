import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import {
  answers,
  changedOrganisation,
  cli,
  ENDPOINT,
  readJournal,
  stateDifferences,
  workdir,
  type JournalLine,
} from "./reliability-helpers.js";

/*
 * Chaos: 200 projects, 30% of API requests fail (500/502/503 or a dropped connection, some of
 * them AFTER the write took effect) and a rate limit of 150 requests per second.
 *
 * "Converges" means: at most MAX_RUNS runs of `apply --auto-approve`, each exiting 0 (done), 3
 * (some projects failed, the others applied) or 1 with a transient read failure (retries used
 * up), the last exiting 0; then the sandbox state equals the desired file exactly, and
 * `plan --detailed-exitcode` exits 0.
 */
const PROJECTS = 200;
const MAX_RUNS = 4;
// A run may also stop with exit 1 when one of its reads gave up after all retries (a plan is never
// built from a partial picture): that is a transient failure, and the next run goes on.
const TRANSIENT = /gave up after \d+ attempts/;

describe("chaos: 30% failures and a rate limit", () => {
  const org = changedOrganisation(PROJECTS, 5);
  const work = workdir();
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    work.write("collaborators.yaml", org.desiredYaml);
    sandbox = await startSandboxProcess({
      seed: org.seed,
      args: ["--fail-rate", "0.3", "--rate-limit", "150", "--random-seed", "20261204"],
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it(
    "converges in at most 4 runs, without duplicate effects, and a second plan is empty",
    { timeout: 150_000 },
    async () => {
      const run = cli(sandbox, work.dir);
      const codes: (number | null)[] = [];
      let last = "";
      for (let i = 0; i < MAX_RUNS; i++) {
        const apply = await run(
          ["apply", "--auto-approve", "--concurrency", "32", "--journal", "journal.jsonl"],
          120_000,
        );
        codes.push(apply.code);
        last = apply.stdout + apply.stderr;
        const transient = apply.code === 1 && TRANSIENT.test(apply.stderr);
        expect(
          apply.code === 0 || apply.code === 3 || transient,
          `run ${String(i + 1)} exited ${String(apply.code)}\n${last}`,
        ).toBe(true);
        if (apply.code === 0) break;
      }
      expect(
        codes.at(-1),
        `apply did not converge in ${String(MAX_RUNS)} runs (exit codes ${codes.join(", ")})\n${last}`,
      ).toBe(0);
      const stats = await sandbox.stats();

      // The faults really happened: without them this test would prove nothing.
      const faulted = Object.values(stats.byEndpoint)
        .flatMap((byStatus) => Object.entries(byStatus))
        .filter(([status]) => ["500", "502", "503", "dropped"].includes(status))
        .reduce((n, [, count]) => n + count, 0);
      expect(faulted).toBeGreaterThan(100);
      const limited = Object.values(stats.byEndpoint).reduce((n, byStatus) => n + (byStatus["429"] ?? 0), 0);
      expect(limited).toBeGreaterThan(0);

      // Converged: the live state is the desired one, no project has a duplicate collaborator.
      expect(stateDifferences(await sandbox.state(), org.desired)).toEqual([]);

      // No duplicate effects. A write whose answer was lost is checked by reading before any retry,
      // so across all runs: no planned change is journalled "applied" twice (a change whose outcome
      // stayed unknown after the retries may be applied without an "applied" line), no write was
      // refused as a duplicate ("already a collaborator", "not a collaborator"), and the sandbox
      // processed at most one successful create / delete per planned one.
      const journal = readJournal(work.read("journal.jsonl"));
      const writes = journal.filter((l) => ["create", "update", "delete"].includes(l.action));
      const applied = new Map<string, JournalLine[]>();
      for (const line of writes.filter((l) => l.outcome === "applied")) {
        const key = `${String(line.projectId)} ${line.action} ${line.user ?? ""}`;
        applied.set(key, [...(applied.get(key) ?? []), line]);
      }
      expect(applied.size).toBeLessThanOrEqual(org.planned.create + org.planned.update + org.planned.delete);
      expect(applied.size).toBeGreaterThan(
        0.9 * (org.planned.create + org.planned.update + org.planned.delete),
      );
      expect([...applied.entries()].filter(([, lines]) => lines.length > 1).map(([key]) => key)).toEqual([]);
      const refusedAsDuplicate = writes.filter(
        (l) => l.outcome === "failed" && /already|not a collaborator/i.test(l.error?.message ?? ""),
      );
      expect(refusedAsDuplicate).toEqual([]);
      expect(answers(stats, ENDPOINT.create, "200")).toBeLessThanOrEqual(org.planned.create);
      expect(answers(stats, ENDPOINT.delete, "200")).toBeLessThanOrEqual(org.planned.delete);
      expect(answers(stats, ENDPOINT.update, "200")).toBeLessThanOrEqual(org.planned.update);

      // A second plan (still under faults) has nothing to do.
      const plan = await run(["plan", "--detailed-exitcode", "--concurrency", "32"], 120_000);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    },
  );
});
