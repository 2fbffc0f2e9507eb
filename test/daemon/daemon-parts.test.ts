import { describe, expect, it } from "vitest";
import { createReconcilerMetrics } from "../../src/adapters/daemon/metrics.js";
import { reconcileOnce } from "../../src/adapters/daemon/reconcile-run.js";
import { createRunLoop } from "../../src/adapters/daemon/run-loop.js";
import { exitCodeForOutcome, type RunRecord } from "../../src/adapters/daemon/run-record.js";
import { assertValidSchedule } from "../../src/adapters/daemon/scheduler.js";
import { gateApi } from "../../src/apply/shutdown-gate.js";
import type { ApplyResult } from "../../src/model/apply-result.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { LiveCollaborator } from "../../src/model/live-state.js";
import type { Plan } from "../../src/model/plan.js";
import type { QuantConnectApi } from "../../src/qc/api.js";

const record = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  event: "run",
  time: "2026-01-01T00:00:00.000Z",
  outcome: "applied",
  changes: 3,
  durationMs: 1500,
  commit: null,
  mode: "apply",
  appliedByAction: { create: 2, update: 1, delete: 0 },
  ...overrides,
});

describe("schedule validation", () => {
  it.each(["*/15 * * * *", "*/2 * * * * *", "0 6 * * 1-5"])("accepts %s", (expression) => {
    expect(() => {
      assertValidSchedule(expression);
    }).not.toThrow();
  });
  it.each(["61 * * * *", "every minute", "* * *", ""])("rejects %j with E_USAGE", (expression) => {
    expect(() => {
      assertValidSchedule(expression);
    }).toThrow(/is not a valid cron expression/);
  });
});

describe("exit codes of --once", () => {
  it("match the CLI's", () => {
    expect(
      (["no-changes", "drift", "applied", "partial", "guard", "error"] as const).map(exitCodeForOutcome),
    ).toEqual([0, 2, 0, 3, 4, 1]);
  });
});

describe("metrics", () => {
  it("count runs, applied changes, API requests; set drift and last success", async () => {
    const metrics = createReconcilerMetrics();
    metrics.recordRun(record());
    const { appliedByAction: _unused, ...planOnly } = record();
    metrics.recordRun({ ...planOnly, outcome: "drift", mode: "plan" });
    metrics.recordRun({ ...planOnly, outcome: "error", changes: 0, time: "2026-01-02T00:00:00.000Z" });
    metrics.recordApiRequest({
      endpoint: "collaborationRead",
      status: 200,
      success: true,
      attempt: 1,
      durationMs: 3,
    });
    metrics.recordApiRequest({
      endpoint: "collaborationRead",
      status: "timeout",
      success: undefined,
      attempt: 2,
      durationMs: 3,
    });
    metrics.recordSkippedTick();
    const text = await metrics.render();
    expect(text).toMatch(/^qc_collab_runs_total\{outcome="applied"\} 1$/m);
    expect(text).toMatch(/^qc_collab_runs_total\{outcome="error"\} 1$/m);
    expect(text).toMatch(/^qc_collab_runs_total\{outcome="guard"\} 0$/m);
    expect(text).toMatch(/^qc_collab_changes_applied_total\{action="create"\} 2$/m);
    expect(text).toMatch(/^qc_collab_changes_applied_total\{action="delete"\} 0$/m);
    expect(text).toMatch(/^qc_collab_drift_detected 1$/m); // the error run does not reset it
    expect(text).toMatch(/^qc_collab_drift_runs_total 2$/m);
    expect(text).toMatch(
      /^qc_collab_api_requests_total\{endpoint="collaborationRead",status="timeout"\} 1$/m,
    );
    expect(text).toMatch(/^qc_collab_last_success_timestamp_seconds 1767225601\.5$/m);
    expect(text).toMatch(/^qc_collab_ticks_skipped_total 1$/m);
    expect(text).toMatch(/^qc_collab_run_duration_seconds_bucket\{le="2.5",outcome="applied"\} 1$/m);
  });

  it("each reconciler has its own registry", async () => {
    const a = createReconcilerMetrics();
    const b = createReconcilerMetrics();
    a.recordSkippedTick();
    expect(await b.render()).toMatch(/^qc_collab_ticks_skipped_total 0$/m);
  });
});

describe("run loop", () => {
  it("runs one at a time: a trigger during a run is skipped and logged", async () => {
    const lines: object[] = [];
    let release: (() => void) | undefined;
    const loop = createRunLoop({
      metrics: createReconcilerMetrics(),
      log: (line) => lines.push(line),
      clock: () => new Date("2026-01-01T00:00:00Z"),
      run: () =>
        new Promise((resolve) => {
          release = () => {
            resolve(record());
          };
        }),
    });
    const first = loop.trigger();
    expect(loop.running()).toBe(true);
    expect(await loop.trigger()).toBeUndefined();
    release?.();
    expect((await first)?.outcome).toBe("applied");
    expect(loop.running()).toBe(false);
    expect(loop.lastRun()?.outcome).toBe("applied");
    expect(lines.map((l) => (l as { event: string }).event)).toEqual(["skipped", "run"]);
  });
});

describe("shutdown gate", () => {
  it("lets calls through until shutdown, then refuses new ones with E_INTERRUPTED", async () => {
    let down = false;
    const calls: number[] = [];
    const api = {
      readCollaborators: (projectId: number) => {
        calls.push(projectId);
        return Promise.resolve([]);
      },
    } as unknown as QuantConnectApi;
    const gated = gateApi(api, () => down);
    await gated.readCollaborators(1);
    down = true;
    await expect(gated.readCollaborators(2)).rejects.toMatchObject({ code: "E_INTERRUPTED" });
    expect(calls).toEqual([1]);
  });
});

describe("reconcileOnce", () => {
  it("verifies an apply against the live lists the plan was made from, as the CLI and the Action do", async () => {
    const live = new Map([[7, [] as LiveCollaborator[]]]);
    const plan = {
      summary: { create: 1, update: 0, delete: 0, projects: 1, changedProjects: 1 },
    } as unknown as Plan;
    let received: ReadonlyMap<number, readonly LiveCollaborator[]> | undefined;
    const result: ApplyResult = {
      formatVersion: 1,
      status: "applied",
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 0,
      counts: { applied: 1, failed: 0, skipped: 0 },
      projects: [],
    };
    const outcome = await reconcileOnce({
      mode: "apply",
      head: () => Promise.resolve(null),
      loadDesired: () => Promise.resolve({} as DesiredState),
      api: {} as QuantConnectApi,
      identity: () => Promise.resolve({ uid: 1 }),
      makePlan: () => Promise.resolve({ plan, live }),
      applyPlan: (_plan, _api, _commit, verifyAgainst) => {
        received = verifyAgainst;
        return Promise.resolve(result);
      },
      clock: () => new Date("2026-01-01T00:00:00Z"),
    });
    expect(outcome.outcome).toBe("applied");
    expect(received).toBe(live);
  });
});
