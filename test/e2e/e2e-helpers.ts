import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/run-cli.js";
import type { SandboxAdminStats, SandboxProcess } from "../helpers/sandbox-process.js";

export const DEMO_SEED_PATH = join(REPO_ROOT, "examples", "sandbox-state.json");
export const DEMO_FILE = readFileSync(join(REPO_ROOT, "collaborators.yaml"), "utf8");

export interface DemoSeed {
  users: { uid: number; publicId: string; name: string; email: string; apiToken: string }[];
  projects: { projectId: number; name: string; ownerUid: number; collaborators: unknown[] }[];
  locks?: unknown[];
}

export function demoSeed(): DemoSeed {
  return JSON.parse(readFileSync(DEMO_SEED_PATH, "utf8")) as DemoSeed;
}

/** A temp working directory with the given files; the CLI writes its journal and plans there. */
export function workdir(files: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "qc-e2e-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return {
    dir,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const WRITE_ENDPOINTS = [
  "/projects/collaboration/create",
  "/projects/collaboration/update",
  "/projects/collaboration/delete",
];

function sum(stats: SandboxAdminStats, endpoints: readonly string[]): number {
  return endpoints
    .map((e) => Object.values(stats.byEndpoint[e] ?? {}).reduce((a, b) => a + b, 0))
    .reduce((a, b) => a + b, 0);
}

export function writeCount(stats: SandboxAdminStats): number {
  return sum(stats, WRITE_ENDPOINTS);
}

/** Runs the built CLI against the sandbox process as `publicId` (default: the demo user). */
export function cliAgainst(
  sandbox: SandboxProcess,
  dir: string,
  publicId?: string,
): (args: readonly string[], input?: string) => Promise<CliResult> {
  return (args, input) =>
    runCli(args, {
      cwd: dir,
      env: { ...sandbox.env(publicId), CI: "1", GITHUB_ACTOR: undefined, GITHUB_SHA: undefined },
      ...(input === undefined ? {} : { input }),
      timeoutMs: 45_000,
    });
}

export function secretsOf(seed: DemoSeed): string[] {
  return seed.users.map((u) => u.apiToken);
}
