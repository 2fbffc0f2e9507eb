import { AppError, describeLock, findProject } from "./handler-context.js";
import type { HandlerContext, HandlerResult } from "./handler-context.js";
import { boolField, requiredInt, stringField } from "./request-input.js";
import type { SeedProject, SeedUser } from "./seed.js";
import { collaboratorList } from "./wire-render.js";

type Verb = "add" | "change" | "remove";

/** Only the owner changes collaborators (QuantConnect's rule); the lock rules come next. */
function ownedProject(ctx: HandlerContext, verb: Verb): SeedProject {
  const projectId = requiredInt(ctx.params, "projectId");
  const project = findProject(ctx.store, projectId);
  if (project.ownerUid !== ctx.caller.uid) {
    throw new AppError(`Only the owner of project ${projectId} can ${verb} collaborators`);
  }
  checkLock(ctx, project);
  return project;
}

/**
 * A write that names a codeSourceId must not contradict the current holder (lean-cli's model:
 * tagged writes are checked, untagged ones bypass). With strictLock, any write on a project that
 * has collaborators needs the caller to hold the lock.
 */
function checkLock(ctx: HandlerContext, project: SeedProject): void {
  const held = ctx.store.locks.active(project.projectId, ctx.nowMs);
  const codeSourceId = stringField(ctx.params, "codeSourceId");
  const heldByCaller =
    held !== undefined &&
    held.uid === ctx.caller.uid &&
    (codeSourceId === undefined || held.codeSourceId === codeSourceId);
  if (held !== undefined && codeSourceId !== undefined && !heldByCaller) {
    throw new AppError(describeLock(ctx.store, held));
  }
  if (ctx.strictLock && project.collaborators.length > 0 && !heldByCaller) {
    if (held !== undefined && held.uid !== ctx.caller.uid) throw new AppError(describeLock(ctx.store, held));
    throw new AppError(
      `Project ${project.projectId} has collaborators: acquire the project lock (/projects/collaboration/lock/acquire) before changing them`,
    );
  }
}

function targetUser(ctx: HandlerContext, ...fields: string[]): SeedUser {
  let publicId: string | undefined;
  for (const field of fields) publicId ??= stringField(ctx.params, field);
  if (publicId === undefined) {
    throw new AppError(
      `${fields.join(" or ")} is required: the user's public id (quantconnect.com/u/<publicId>)`,
    );
  }
  const user = ctx.store.userByPublicId(publicId);
  if (user === undefined) {
    throw new AppError(
      `User "${publicId}" not found: use the public id from the profile URL (quantconnect.com/u/<publicId>)`,
    );
  }
  return user;
}

function requiredBool(ctx: HandlerContext, name: string): boolean {
  const value = boolField(ctx.params, name);
  if (value === undefined) throw new AppError(`${name} is required (true or false)`);
  return value;
}

function answer(ctx: HandlerContext, project: SeedProject): HandlerResult {
  ctx.store.touch(project);
  return { body: { collaborators: collaboratorList(ctx.store, project), success: true }, changed: true };
}

export function handleCollaborationCreate(ctx: HandlerContext): HandlerResult {
  const project = ownedProject(ctx, "add");
  const user = targetUser(ctx, "collaboratorUserId");
  const liveControl = requiredBool(ctx, "collaborationLiveControl");
  const write = requiredBool(ctx, "collaborationWrite");
  if (user.uid === project.ownerUid) {
    throw new AppError(
      `User "${user.publicId}" owns project ${project.projectId} and cannot be added as a collaborator`,
    );
  }
  if (project.collaborators.some((c) => c.publicId === user.publicId)) {
    throw new AppError(
      `User "${user.publicId}" is already a collaborator on project ${project.projectId}; use /projects/collaboration/update to change the access`,
    );
  }
  project.collaborators.push({ publicId: user.publicId, permission: write ? "write" : "read", liveControl });
  return answer(ctx, project);
}

function existingEntry(project: SeedProject, user: SeedUser, verb: "changed" | "removed") {
  if (user.uid === project.ownerUid) {
    throw new AppError(`The owner of project ${project.projectId} cannot be ${verb}`);
  }
  const index = project.collaborators.findIndex((c) => c.publicId === user.publicId);
  if (index < 0)
    throw new AppError(`User "${user.publicId}" is not a collaborator on project ${project.projectId}`);
  return index;
}

/** Fields left out keep their current value: QuantConnect's own example updates without `write`. */
export function handleCollaborationUpdate(ctx: HandlerContext): HandlerResult {
  const project = ownedProject(ctx, "change");
  const user = targetUser(ctx, "collaboratorUserId", "collaboratorId");
  const liveControl = boolField(ctx.params, "liveControl");
  const write = boolField(ctx.params, "write");
  const entry = project.collaborators[existingEntry(project, user, "changed")];
  if (entry === undefined) throw new AppError(`User "${user.publicId}" is not a collaborator`);
  if (liveControl !== undefined) entry.liveControl = liveControl;
  if (write !== undefined) entry.permission = write ? "write" : "read";
  return answer(ctx, project);
}

/** Accepts the current `collaboratorId` and the older `collaboratorUserId`. */
export function handleCollaborationDelete(ctx: HandlerContext): HandlerResult {
  const project = ownedProject(ctx, "remove");
  const user = targetUser(ctx, "collaboratorId", "collaboratorUserId");
  project.collaborators.splice(existingEntry(project, user, "removed"), 1);
  return answer(ctx, project);
}
