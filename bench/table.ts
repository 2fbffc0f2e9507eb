import type { CpuLargeResult } from "./cpu-large.js";
import type { ScenarioResult } from "./scenarios.js";

/** Plain-text tables (Markdown pipe syntax, so docs/performance.md can take them verbatim). */

function render(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const SHORT: Record<string, string> = {
  "/projects/collaboration/read": "read",
  "/projects/collaboration/lock/acquire": "lock",
  "/projects/collaboration/create": "create",
  "/projects/collaboration/update": "update",
  "/projects/collaboration/delete": "delete",
};

function callsCell(calls: Record<string, number>): string {
  return Object.entries(calls)
    .filter(([, n]) => n > 0)
    .map(([endpoint, n]) => `${SHORT[endpoint] ?? endpoint} ${String(n)}`)
    .join(", ");
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

export const PLAN_RATIO_TARGET = 1.3;
export const SPEEDUP_TARGET = 10;

export function scenarioTable(results: readonly ScenarioResult[]): string {
  const header = [
    "projects",
    "scenario",
    "client",
    "runs",
    "median",
    "ideal",
    "ratio",
    "API calls (200)",
    "calls",
  ];
  const rows = results.map((r) => {
    const ratio = r.medianMs / r.idealMs;
    const target =
      r.scenario.startsWith("plan") && r.concurrency === 16
        ? ratio <= PLAN_RATIO_TARGET
          ? " OK"
          : " FAIL"
        : "";
    return [
      String(r.projects),
      r.scenario,
      r.client,
      String(r.runs),
      ms(r.medianMs),
      ms(r.idealMs),
      `${ratio.toFixed(2)}×${target}`,
      callsCell(r.calls),
      r.callCheck,
    ];
  });
  return render(header, rows);
}

export interface Speedup {
  readonly projects: number;
  readonly scenario: string;
  readonly sequentialMs: number;
  readonly libraryMs: number;
}

export function speedupTable(speedups: readonly Speedup[]): string {
  const header = ["projects", "scenario", "sequential", "library c=16", "speed-up"];
  const rows = speedups.map((s) => {
    const factor = s.sequentialMs / s.libraryMs;
    const target = s.projects === 500 ? (factor >= SPEEDUP_TARGET ? " OK" : " FAIL") : "";
    return [
      String(s.projects),
      s.scenario,
      ms(s.sequentialMs),
      ms(s.libraryMs),
      `${factor.toFixed(1)}×${target}`,
    ];
  });
  return render(header, rows);
}

export function cpuTable(r: CpuLargeResult): string {
  const total = r.totalMs <= 2000 ? "OK" : "FAIL";
  const memory = r.maxRssMB <= 400 ? "OK" : "FAIL";
  return render(
    ["case", "file", "load+validate", "plan", "total", "peak RSS (maxRSS)", "targets"],
    [
      [
        `${String(r.projects)} projects × ${String(r.collaborators)} collaborators, ${String(r.changes)} changes`,
        `${(r.fileBytes / 2 ** 20).toFixed(1)} MB`,
        ms(r.loadValidateMs),
        ms(r.planMs),
        ms(r.totalMs),
        `${r.maxRssMB.toFixed(0)} MB (sampled ${r.sampledPeakRssMB.toFixed(0)} MB)`,
        `time < 2 s ${total}, memory < 400 MB ${memory}`,
      ],
    ],
  );
}
