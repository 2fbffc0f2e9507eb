import type { Params } from "./request-input.js";
import type { SeedLock, SeedProject, SeedUser } from "./seed.js";
import type { SandboxStore } from "./state-store.js";

/** What an endpoint handler sees: the authenticated caller and the request's parameters. */
export interface HandlerContext {
  readonly store: SandboxStore;
  readonly caller: SeedUser;
  readonly params: Params;
  readonly nowMs: number;
  readonly strictLock: boolean;
  readonly lockTtlMs: number;
}

/** An endpoint's answer; `changed` asks the server to persist the state before replying. */
export interface HandlerResult {
  readonly body: Record<string, unknown>;
  readonly changed: boolean;
}

/** A rule was broken: answered as HTTP 200 {success:false, errors:[message]}, like QuantConnect. */
export class AppError extends Error {}

export interface CallerAccess {
  readonly permission: "read" | "write";
  readonly liveControl: boolean;
  readonly owner: boolean;
}

export function accessOf(project: SeedProject, user: SeedUser): CallerAccess | undefined {
  if (project.ownerUid === user.uid) return { permission: "write", liveControl: true, owner: true };
  const entry = project.collaborators.find((c) => c.publicId === user.publicId);
  return entry === undefined ? undefined : { ...entry, owner: false };
}

export function findProject(store: SandboxStore, projectId: number): SeedProject {
  const project = store.project(projectId);
  if (project === undefined) throw new AppError(`Project ${projectId} not found`);
  return project;
}

/** The project, if the caller may see it (owner or collaborator). */
export function visibleProject(ctx: HandlerContext, projectId: number): SeedProject {
  const project = findProject(ctx.store, projectId);
  if (accessOf(project, ctx.caller) === undefined) {
    throw new AppError(`You do not have access to project ${projectId}`);
  }
  return project;
}

export function describeLock(store: SandboxStore, lock: SeedLock): string {
  const holder = store.userByUid(lock.uid)?.publicId ?? String(lock.uid);
  const until = new Date(lock.expiresAtMs).toISOString();
  return `Project ${lock.projectId} is locked by ${holder} (codeSourceId "${lock.codeSourceId}") until ${until}`;
}
