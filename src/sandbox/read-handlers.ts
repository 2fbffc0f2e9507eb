import { AppError, accessOf, describeLock, visibleProject } from "./handler-context.js";
import type { HandlerContext, HandlerResult } from "./handler-context.js";
import { intField, requiredInt, stringField } from "./request-input.js";
import { collaboratorList, projectOf } from "./wire-render.js";

/** /authenticate: reaching the handler means the signature was good. */
export function handleAuthenticate(): HandlerResult {
  return { body: { success: true }, changed: false };
}

/**
 * /projects/read: one project (still an array) with projectId; otherwise every project the caller
 * owns or collaborates on, optionally paged with start (inclusive) and end (exclusive).
 */
export function handleProjectsRead(ctx: HandlerContext): HandlerResult {
  const projectId = intField(ctx.params, "projectId");
  if (projectId !== undefined) {
    const project = visibleProject(ctx, projectId);
    const projects = [projectOf(ctx.store, project, ctx.caller.uid)];
    return { body: { projects, versions: [], success: true }, changed: false };
  }
  const visible = ctx.store.projects.filter((p) => accessOf(p, ctx.caller) !== undefined);
  const start = intField(ctx.params, "start") ?? 0;
  const end = intField(ctx.params, "end") ?? visible.length;
  if (start < 0 || end < 0) throw new AppError("start and end must not be negative");
  if (intField(ctx.params, "end") !== undefined && start >= end) {
    throw new AppError("start must be less than end");
  }
  const projects = visible.slice(start, end).map((p) => projectOf(ctx.store, p, ctx.caller.uid));
  return { body: { projects, versions: [], success: true }, changed: false };
}

/** /projects/collaboration/read: the full list (owner included) and the caller's own rights. */
export function handleCollaborationRead(ctx: HandlerContext): HandlerResult {
  const project = visibleProject(ctx, requiredInt(ctx.params, "projectId"));
  const access = accessOf(project, ctx.caller);
  return {
    body: {
      collaborators: collaboratorList(ctx.store, project),
      userLiveControl: access?.liveControl ?? false,
      userPermissions: access?.permission ?? "read",
      success: true,
    },
    changed: false,
  };
}

/**
 * /projects/collaboration/lock/acquire: the holder is (user, codeSourceId) for the TTL; only
 * people who may edit the project (owner, write collaborators) can lock it.
 */
export function handleLockAcquire(ctx: HandlerContext): HandlerResult {
  const projectId = requiredInt(ctx.params, "projectId");
  const codeSourceId = stringField(ctx.params, "codeSourceId");
  if (codeSourceId === undefined) {
    throw new AppError(
      'codeSourceId is required: the name of the environment editing the project, e.g. "cli"',
    );
  }
  const project = visibleProject(ctx, projectId);
  if (accessOf(project, ctx.caller)?.permission !== "write") {
    throw new AppError(`You need write permission on project ${projectId} to lock it`);
  }
  const outcome = ctx.store.locks.acquire(projectId, ctx.caller.uid, codeSourceId, ctx.nowMs, ctx.lockTtlMs);
  if (!outcome.ok) throw new AppError(describeLock(ctx.store, outcome.holder));
  return { body: { success: true }, changed: true };
}
