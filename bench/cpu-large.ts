import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ValidateLargeFigures } from "./validate-large.js";

export type { ValidateLargeFigures } from "./validate-large.js";

export interface CpuLargeResult {
  readonly projects: number;
  readonly collaborators: number;
  readonly fileBytes: number;
  readonly loadValidateMs: number;
  readonly planMs: number;
  readonly totalMs: number;
  readonly baselineRssMB: number;
  readonly sampledPeakRssMB: number;
  readonly maxRssMB: number;
  readonly changes: number;
}

/**
 * Load + validate + plan for a large file with the live state in memory (no network), in a child
 * process so the peak memory is this case's alone and a fresh V8 heap is measured.
 */
export function measureCpuLarge(projects = 10_000, collaborators = 25): Promise<CpuLargeResult> {
  return runChild<CpuLargeResult>([String(projects), String(collaborators)]);
}

/** The desired-file helper's parse-only figures (bench/validate-large.ts), in a fresh process too. */
export function measureValidateLarge(): Promise<ValidateLargeFigures> {
  return runChild<ValidateLargeFigures>(["validate-only"]);
}

function runChild<T>(args: readonly string[]): Promise<T> {
  const child = fileURLToPath(new URL("./cpu-large-child.js", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [child, ...args],
      { maxBuffer: 1 << 20, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`${error.message}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(stdout.trim()) as T);
      },
    );
  });
}
