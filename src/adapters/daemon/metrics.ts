import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ApiRequestEvent } from "../../qc/api.js";
import { RUN_OUTCOMES, type RunRecord } from "./run-record.js";

/** The reconciler's Prometheus metrics, in a registry of its own (never prom-client's global one). */
export interface ReconcilerMetrics {
  readonly registry: Registry;
  recordRun(run: RunRecord): void;
  recordSkippedTick(): void;
  recordApiRequest(event: ApiRequestEvent): void;
  /** Prometheus text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

export function createReconcilerMetrics(): ReconcilerMetrics {
  const registry = new Registry();
  const runs = new Counter({
    name: "qc_collab_runs_total",
    help: "Reconcile runs by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // Zero-valued series exist from the start, so rate() and alerts work before the first event.
  for (const outcome of RUN_OUTCOMES) runs.inc({ outcome }, 0);
  const skipped = new Counter({
    name: "qc_collab_ticks_skipped_total",
    help: "Scheduled ticks skipped because a run was still in progress",
    registers: [registry],
  });
  const applied = new Counter({
    name: "qc_collab_changes_applied_total",
    help: "Collaborator changes applied, by action",
    labelNames: ["action"] as const,
    registers: [registry],
  });
  for (const action of ["create", "update", "delete"]) applied.inc({ action }, 0);
  const drift = new Gauge({
    name: "qc_collab_drift_detected",
    help: "1 when the last completed plan found the live state differing from the file, else 0",
    registers: [registry],
  });
  const driftRuns = new Counter({
    name: "qc_collab_drift_runs_total",
    help: "Runs whose plan found changes (drift), applied or not",
    registers: [registry],
  });
  const requests = new Counter({
    name: "qc_collab_api_requests_total",
    help: "QuantConnect API requests by endpoint and HTTP status (or network/timeout)",
    labelNames: ["endpoint", "status"] as const,
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: "qc_collab_last_success_timestamp_seconds",
    help: "Unix time of the end of the last run that did not end in error",
    registers: [registry],
  });
  const duration = new Histogram({
    name: "qc_collab_run_duration_seconds",
    help: "Duration of reconcile runs",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });

  return {
    registry,
    contentType: registry.contentType,
    recordRun(run) {
      runs.inc({ outcome: run.outcome });
      duration.observe({ outcome: run.outcome }, run.durationMs / 1000);
      if (run.outcome !== "error") {
        lastSuccess.set((Date.parse(run.time) + run.durationMs) / 1000);
        drift.set(run.outcome === "drift" ? 1 : 0);
      }
      if (run.changes > 0 && run.outcome !== "error") driftRuns.inc();
      for (const [action, count] of Object.entries(run.appliedByAction ?? {})) {
        if (count > 0) applied.inc({ action }, count);
      }
    },
    recordSkippedTick() {
      skipped.inc();
    },
    recordApiRequest(event) {
      requests.inc({ endpoint: event.endpoint, status: String(event.status) });
    },
    render() {
      return registry.metrics();
    },
  };
}
