import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  changedCollaborators,
  generateDesiredYaml,
  generateSeed,
  type GeneratedCollaborator,
  type GeneratedSeed,
} from "../../bench/generate.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import type { SandboxAdminState, SandboxAdminStats, SandboxProcess } from "../helpers/sandbox-process.js";

/** A generated organisation and a desired file asking for three changes in every project. */
export interface ChangedOrganisation {
  readonly seed: GeneratedSeed;
  readonly desiredYaml: string;
  /** projectId → the collaborators the desired file asks for (the owner aside). */
  readonly desired: ReadonlyMap<number, readonly GeneratedCollaborator[]>;
  /** Changes the first plan has: one create, one update, one delete per project. */
  readonly planned: { readonly create: number; readonly update: number; readonly delete: number };
}

export function changedOrganisation(projects: number, collaborators: number): ChangedOrganisation {
  const seed = generateSeed({ projects, collaborators });
  const desired = new Map(seed.projects.map((p, i) => [p.projectId, changedCollaborators(p, seed, i)]));
  return {
    seed,
    desiredYaml: generateDesiredYaml(seed, { changed: true }),
    desired,
    planned: { create: projects, update: projects, delete: projects },
  };
}

export interface Workdir {
  readonly dir: string;
  path(name: string): string;
  write(name: string, text: string): string;
  read(name: string): string;
  cleanup(): void;
}

export function workdir(prefix = "qc-collab-reliability-"): Workdir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    read: (name) => readFileSync(join(dir, name), "utf8"),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the built CLI in `dir` with the owner's credentials for `sandbox`. */
export function cli(
  sandbox: SandboxProcess,
  dir: string,
  extraEnv: Record<string, string> = {},
): (args: readonly string[], timeoutMs?: number) => Promise<CliResult> {
  return (args, timeoutMs = 60_000) =>
    runCli(args, { cwd: dir, env: { ...sandbox.env(), CI: "1", ...extraEnv }, timeoutMs });
}

/** Differences between the sandbox state and the desired lists, as readable lines (empty = equal). */
export function stateDifferences(
  state: SandboxAdminState,
  desired: ReadonlyMap<number, readonly GeneratedCollaborator[]>,
): string[] {
  const problems: string[] = [];
  const byId = new Map(state.projects.map((p) => [p.projectId, p]));
  for (const [projectId, wanted] of desired) {
    const live = byId.get(projectId);
    if (live === undefined) {
      problems.push(`#${String(projectId)} missing`);
      continue;
    }
    const ids = live.collaborators.map((c) => c.publicId);
    if (new Set(ids).size !== ids.length) problems.push(`#${String(projectId)} has duplicate collaborators`);
    const key = (c: GeneratedCollaborator) => `${c.publicId}:${c.permission}:${String(c.liveControl)}`;
    const got = live.collaborators.map(key).sort();
    const want = wanted.map(key).sort();
    if (got.join(",") !== want.join(",")) {
      problems.push(`#${String(projectId)}: live [${got.join(", ")}] ≠ desired [${want.join(", ")}]`);
    }
  }
  return problems;
}

/** Answers of one endpoint with one status ("200", "500", "dropped", "429"...). */
export function answers(stats: SandboxAdminStats, endpoint: string, status?: string): number {
  const counts = stats.byEndpoint[endpoint] ?? {};
  if (status !== undefined) return counts[status] ?? 0;
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export interface JournalLine {
  runId: string;
  projectId: number;
  action: string;
  user: string | null;
  outcome: string;
  error?: { code: string; message: string };
}

export function readJournal(text: string): JournalLine[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as JournalLine);
}

export const ENDPOINT = {
  read: "/projects/collaboration/read",
  create: "/projects/collaboration/create",
  update: "/projects/collaboration/update",
  delete: "/projects/collaboration/delete",
  lock: "/projects/collaboration/lock/acquire",
} as const;
