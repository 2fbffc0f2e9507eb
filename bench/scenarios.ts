import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyPlan, planFromDesired } from "../src/app/index.js";
import { loadDesiredFile } from "../src/desired/index.js";
import type { DesiredState } from "../src/model/desired-state.js";
import type { Plan } from "../src/model/plan.js";
import type { QuantConnectApi } from "../src/qc/api.js";
import { createQuantConnectClient } from "../src/qc/client.js";
import { changedCollaborators, generateDesiredYaml, ownerOf, type GeneratedSeed } from "./generate.js";
import { idealMs, median, timed } from "./measure.js";
import { okCalls, type RunningSandbox } from "./sandbox-harness.js";
import {
  SequentialClient,
  sequentialApply,
  sequentialPlan,
  type DesiredProjectList,
} from "./sequential-client.js";

/** One row of the table: a scenario measured several times against one sandbox. */
export interface ScenarioResult {
  readonly projects: number;
  readonly scenario: "plan (no changes)" | "plan (changes)" | "apply";
  /** "library c=16", "library c=4" or "sequential". */
  readonly client: string;
  readonly concurrency: number;
  readonly runs: number;
  readonly medianMs: number;
  /** null for the sequential client (its ideal is simply calls × latency). */
  readonly idealMs: number;
  /** Successful calls per endpoint in the last run (the counts are the same in every run). */
  readonly calls: Record<string, number>;
  /** Non-200 answers in the last run (should be none without faults). */
  readonly otherAnswers: number;
  /** Exactly the expected calls: one read per declared project, one lock + one call per change. */
  readonly callCheck: "OK" | "FAIL";
  readonly callCheckDetail: string;
}

export interface SizeContext {
  readonly seed: GeneratedSeed;
  readonly sandbox: RunningSandbox;
  readonly latencyMs: number;
  readonly unchanged: DesiredState;
  readonly changed: DesiredState;
  readonly api: QuantConnectApi;
  readonly identity: { readonly uid: number };
}

async function loadOrThrow(path: string): Promise<DesiredState> {
  const result = await loadDesiredFile(path);
  if (result.value === undefined || result.errors.length > 0) {
    throw new Error(`generated file ${path} is invalid: ${result.errors.map((e) => e.message).join("; ")}`);
  }
  return result.value;
}

export async function prepareSize(
  seed: GeneratedSeed,
  sandbox: RunningSandbox,
  latencyMs: number,
): Promise<SizeContext> {
  const unchangedPath = join(sandbox.dir, "unchanged.yaml");
  const changedPath = join(sandbox.dir, "changed.yaml");
  writeFileSync(unchangedPath, generateDesiredYaml(seed));
  writeFileSync(changedPath, generateDesiredYaml(seed, { changed: true }));
  const owner = ownerOf(seed);
  return {
    seed,
    sandbox,
    latencyMs,
    unchanged: await loadOrThrow(unchangedPath),
    changed: await loadOrThrow(changedPath),
    api: createQuantConnectClient({
      apiUrl: sandbox.apiUrl,
      credentials: { userId: String(owner.uid), apiToken: owner.apiToken },
    }),
    identity: { uid: owner.uid },
  };
}

function expectCalls(actual: Record<string, number>, expected: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const endpoint of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const got = actual[endpoint] ?? 0;
    const want = expected[endpoint] ?? 0;
    if (got !== want) problems.push(`${endpoint}: ${String(got)} calls, expected ${String(want)}`);
  }
  return problems;
}

function changeCount(plan: Plan): number {
  return plan.projects.reduce((n, p) => n + p.changes.length, 0);
}

interface RunSpec {
  readonly ctx: SizeContext;
  readonly scenario: ScenarioResult["scenario"];
  readonly client: string;
  readonly concurrency: number;
  readonly runs: number;
  readonly callsPerProject: number;
  /** Untimed preparation before each run (state reset, the plan to apply). */
  readonly before?: () => Promise<void>;
  readonly run: () => Promise<void>;
  readonly expected: Record<string, number>;
}

async function measure(spec: RunSpec): Promise<ScenarioResult> {
  const { sandbox } = spec.ctx;
  const times: number[] = [];
  const problems = new Set<string>();
  let calls: Record<string, number> = {};
  let otherAnswers = 0;
  for (let i = 0; i < spec.runs; i++) {
    await spec.before?.();
    await sandbox.resetStats();
    times.push((await timed(spec.run)).ms);
    const stats = await sandbox.stats();
    calls = okCalls(stats);
    otherAnswers = stats.total - Object.values(calls).reduce((a, b) => a + b, 0);
    for (const p of expectCalls(calls, spec.expected)) problems.add(p);
    if (otherAnswers > 0) problems.add(`${String(otherAnswers)} answers other than 200`);
  }
  const projects = spec.ctx.seed.projects.length;
  return {
    projects,
    scenario: spec.scenario,
    client: spec.client,
    concurrency: spec.concurrency,
    runs: spec.runs,
    medianMs: median(times),
    idealMs: idealMs(projects, spec.concurrency, spec.callsPerProject, spec.ctx.latencyMs),
    calls,
    otherAnswers,
    callCheck: problems.size === 0 ? "OK" : "FAIL",
    callCheckDetail: [...problems].join("; "),
  };
}

const READ = "/projects/collaboration/read";
const LOCK = "/projects/collaboration/lock/acquire";
const CREATE = "/projects/collaboration/create";
const UPDATE = "/projects/collaboration/update";
const DELETE = "/projects/collaboration/delete";

function applyExpectation(projects: number): Record<string, number> {
  return { [LOCK]: projects, [CREATE]: projects, [UPDATE]: projects, [DELETE]: projects };
}

/** plan (no changes), plan (changes) and apply with the library at one concurrency. */
export async function measureLibrary(
  ctx: SizeContext,
  concurrency: number,
  runs: number,
): Promise<ScenarioResult[]> {
  const n = ctx.seed.projects.length;
  const client = `library c=${String(concurrency)}`;
  const plan = async (desired: DesiredState, expectChanges: number): Promise<Plan> => {
    const result = await planFromDesired({
      desired,
      api: ctx.api,
      identity: ctx.identity,
      concurrency,
      now: new Date(),
    });
    const count = changeCount(result.plan);
    if (count !== expectChanges)
      throw new Error(`plan has ${String(count)} changes, expected ${String(expectChanges)}`);
    return result.plan;
  };
  const results: ScenarioResult[] = [];
  await ctx.sandbox.reset();
  results.push(
    await measure({
      ctx,
      scenario: "plan (no changes)",
      client,
      concurrency,
      runs,
      callsPerProject: 1,
      run: async () => {
        await plan(ctx.unchanged, 0);
      },
      expected: { [READ]: n },
    }),
    await measure({
      ctx,
      scenario: "plan (changes)",
      client,
      concurrency,
      runs,
      callsPerProject: 1,
      run: async () => {
        await plan(ctx.changed, 3 * n);
      },
      expected: { [READ]: n },
    }),
  );
  let pending: { plan: Plan; live: Awaited<ReturnType<typeof planFromDesired>>["live"] } | undefined;
  results.push(
    await measure({
      ctx,
      scenario: "apply",
      client,
      concurrency,
      runs,
      callsPerProject: 4,
      before: async () => {
        await ctx.sandbox.reset();
        const made = await planFromDesired({
          desired: ctx.changed,
          api: ctx.api,
          identity: ctx.identity,
          concurrency,
          now: new Date(),
        });
        pending = { plan: made.plan, live: made.live };
      },
      run: async () => {
        if (pending === undefined) throw new Error("no plan");
        const result = await applyPlan(pending.plan, { api: ctx.api, live: pending.live, concurrency });
        if (result.status !== "applied") throw new Error(`apply ended ${result.status}`);
      },
      expected: applyExpectation(n),
    }),
  );
  return results;
}

/** The same reads and writes with the sequential client of QuantConnect's documented example. */
export async function measureSequential(ctx: SizeContext, runs: number): Promise<ScenarioResult[]> {
  const n = ctx.seed.projects.length;
  const owner = ownerOf(ctx.seed);
  const client = new SequentialClient(ctx.sandbox.apiUrl, {
    userId: String(owner.uid),
    apiToken: owner.apiToken,
  });
  const unchanged: DesiredProjectList[] = ctx.seed.projects;
  const changed: DesiredProjectList[] = ctx.seed.projects.map((p, i) => ({
    projectId: p.projectId,
    collaborators: changedCollaborators(p, ctx.seed, i),
  }));
  const planOf = async (desired: readonly DesiredProjectList[], expectChanges: number) => {
    const changes = await sequentialPlan(client, desired);
    const count = [...changes.values()].reduce((a, list) => a + list.length, 0);
    if (count !== expectChanges)
      throw new Error(`sequential plan: ${String(count)} changes, expected ${String(expectChanges)}`);
    return changes;
  };
  await ctx.sandbox.reset();
  const spec = { ctx, client: "sequential", concurrency: 1, runs, callsPerProject: 1 } as const;
  const results: ScenarioResult[] = [
    await measure({
      ...spec,
      scenario: "plan (no changes)",
      run: async () => {
        await planOf(unchanged, 0);
      },
      expected: { [READ]: n },
    }),
    await measure({
      ...spec,
      scenario: "plan (changes)",
      run: async () => {
        await planOf(changed, 3 * n);
      },
      expected: { [READ]: n },
    }),
  ];
  let pending: Awaited<ReturnType<typeof planOf>> | undefined;
  results.push(
    await measure({
      ...spec,
      scenario: "apply",
      callsPerProject: 4,
      before: async () => {
        await ctx.sandbox.reset();
        pending = await planOf(changed, 3 * n);
      },
      run: async () => {
        if (pending === undefined) throw new Error("no plan");
        await sequentialApply(client, pending, "qc-collab-bench");
      },
      expected: applyExpectation(n),
    }),
  );
  return results;
}
