import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Access } from "../../src/model/access.js";
import { DEFAULT_SETTINGS, type DesiredSettings, type DesiredState } from "../../src/model/desired-state.js";
import type { QuantConnectApi } from "../../src/qc/api.js";
import { createQuantConnectClient } from "../../src/qc/client.js";
import { startSandboxServer, type SandboxOptions } from "../../src/sandbox/server.js";
import type { SandboxSeed, SeedLock } from "../../src/sandbox/seed.js";

export const OWNER = { uid: 1, publicId: "olga_owner", token: "a".repeat(64) };
export const USERS = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"];

/** A small organisation: OWNER owns every project; users ann..hal exist. */
export function makeSeed(
  projects: { projectId: number; name: string; collaborators?: { publicId: string; access: Access }[] }[],
  locks: SeedLock[] = [],
): SandboxSeed {
  return {
    users: [
      {
        uid: OWNER.uid,
        publicId: OWNER.publicId,
        name: "Olga Owner",
        email: "olga@example.test",
        apiToken: OWNER.token,
      },
      ...USERS.map((u, i) => ({
        uid: 10 + i,
        publicId: u,
        name: u.toUpperCase(),
        email: `${u}@example.test`,
        apiToken: String(i).repeat(64).slice(0, 64),
      })),
    ],
    projects: projects.map((p) => ({
      projectId: p.projectId,
      name: p.name,
      ownerUid: OWNER.uid,
      collaborators: (p.collaborators ?? []).map((c) => ({ publicId: c.publicId, ...c.access })),
    })),
    locks,
  };
}

export interface TestSandbox {
  readonly api: QuantConnectApi;
  readonly apiUrl: string;
  readonly dir: string;
  stats(): Promise<{ total: number; byEndpoint: Record<string, Record<string, number>> }>;
  collaborators(projectId: number): Promise<{ publicId: string; permission: string; liveControl: boolean }[]>;
  close(): Promise<void>;
}

/** A real sandbox on an ephemeral loopback port and a real client signed as the owner. */
export async function startTestSandbox(
  seed: SandboxSeed,
  options: Omit<SandboxOptions, "seed" | "statePath"> = {},
): Promise<TestSandbox> {
  const dir = await mkdtemp(join(tmpdir(), "qc-apply-"));
  const server = await startSandboxServer({ ...options, seed, statePath: join(dir, "state.json") });
  const api = createQuantConnectClient({
    apiUrl: server.apiUrl,
    credentials: { userId: String(OWNER.uid), apiToken: OWNER.token },
    timeoutMs: 5_000,
  });
  const admin = async (path: string): Promise<unknown> => {
    const res = await fetch(`${server.origin}${path}`);
    return res.json();
  };
  return {
    api,
    apiUrl: server.apiUrl,
    dir,
    stats: async () => (await admin("/__sandbox/stats")) as Awaited<ReturnType<TestSandbox["stats"]>>,
    collaborators: async (projectId) => {
      const state = (await admin("/__sandbox/state")) as {
        projects: {
          projectId: number;
          collaborators: { publicId: string; permission: string; liveControl: boolean }[];
        }[];
      };
      return state.projects.find((p) => p.projectId === projectId)?.collaborators ?? [];
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function writesIn(stats: { byEndpoint: Record<string, Record<string, number>> }): number {
  return [
    "/projects/collaboration/create",
    "/projects/collaboration/update",
    "/projects/collaboration/delete",
  ]
    .map((e) => Object.values(stats.byEndpoint[e] ?? {}).reduce((a, b) => a + b, 0))
    .reduce((a, b) => a + b, 0);
}

const loc = (line: number) => ({ file: "collaborators.yaml", line, col: 5 });

/** A desired state as the parser would produce it, without going through YAML. */
export function desiredState(
  projects: {
    id?: number;
    name?: string;
    prune?: boolean;
    grants: { user: string; permission?: "read" | "write"; liveControl?: boolean }[];
  }[],
  settings: Partial<DesiredSettings> = {},
): DesiredState {
  let line = 10;
  return {
    version: 1,
    file: "collaborators.yaml",
    digest: "sha256:test",
    settings: { ...DEFAULT_SETTINGS, ...settings },
    projects: projects.map((p) => ({
      ref:
        p.id === undefined
          ? { kind: "name" as const, name: p.name ?? "" }
          : { kind: "id" as const, projectId: p.id, ...(p.name === undefined ? {} : { name: p.name }) },
      prune: p.prune ?? settings.prune ?? DEFAULT_SETTINGS.prune,
      source: loc(line++),
      grants: p.grants.map((g) => ({
        user: g.user,
        contributions: [
          {
            via: { kind: "direct" as const },
            access: { permission: g.permission ?? "read", liveControl: g.liveControl ?? false },
            source: loc(line++),
          },
        ],
      })),
    })),
  };
}

export const READ: Access = { permission: "read", liveControl: false };
export const WRITE: Access = { permission: "write", liveControl: false };
