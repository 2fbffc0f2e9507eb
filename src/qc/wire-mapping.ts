import type { Access } from "../model/access.js";
import type { LiveCollaborator, ProjectSummary } from "../model/live-state.js";
import type { CollaborationCreateRequest, CollaborationUpdateRequest } from "./wire-types.js";

/**
 * Wire → model, checked: a field that is missing or has an unexpected value is reported instead of
 * guessed, because a wrong guess (say, reading an unknown permission as "read") would make the
 * planner change access nobody asked to change.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseCollaborator(value: unknown, index: number): Parsed<LiveCollaborator> {
  if (!isRecord(value)) return { ok: false, problem: `collaborators[${index}] is not an object` };
  const { publicId, uid, name, permission, liveControl, owner } = value;
  if (typeof publicId !== "string" || publicId === "") {
    return { ok: false, problem: `collaborators[${index}].publicId is missing` };
  }
  if (permission !== "read" && permission !== "write") {
    return {
      ok: false,
      problem: `collaborators[${index}] (${publicId}) has unknown permission ${JSON.stringify(permission)}`,
    };
  }
  if (typeof liveControl !== "boolean") {
    return { ok: false, problem: `collaborators[${index}] (${publicId}) has no boolean liveControl` };
  }
  return {
    ok: true,
    value: {
      publicId,
      // lean-cli had to accept a null uid in 2026; anything else non-numeric is treated the same way.
      uid: typeof uid === "number" && Number.isFinite(uid) ? uid : null,
      name: typeof name === "string" ? name : "",
      permission,
      liveControl,
      owner: owner === true,
    },
  };
}

export function parseCollaboratorList(body: Record<string, unknown>): Parsed<LiveCollaborator[]> {
  const list = body["collaborators"];
  if (!Array.isArray(list)) return { ok: false, problem: "the answer has no collaborators list" };
  const result: LiveCollaborator[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = parseCollaborator(item, index);
    if (!parsed.ok) return parsed;
    result.push(parsed.value);
  }
  return { ok: true, value: result };
}

export function parseProjectList(body: Record<string, unknown>): Parsed<ProjectSummary[]> {
  const list = body["projects"];
  if (!Array.isArray(list)) return { ok: false, problem: "the answer has no projects list" };
  const result: ProjectSummary[] = [];
  for (const [index, item] of list.entries()) {
    if (!isRecord(item) || typeof item["projectId"] !== "number" || typeof item["name"] !== "string") {
      return { ok: false, problem: `projects[${index}] has no numeric projectId and name` };
    }
    result.push({ projectId: item["projectId"], name: item["name"] });
  }
  return { ok: true, value: result };
}

/** Every message field seen in failure bodies: `errors` (API), `messages` and `Message` (lean-cli). */
export function collectApiMessages(body: Record<string, unknown>): string[] {
  const messages: string[] = [];
  for (const key of ["errors", "messages"]) {
    const value = body[key];
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "string" && item !== "") messages.push(item);
    }
  }
  if (typeof body["Message"] === "string" && body["Message"] !== "") messages.push(body["Message"]);
  return messages;
}

/**
 * Failure is `success: false`; a body without `success` counts as failed only if it carries error
 * messages (one lock wrapper reports that acquire answers with an empty object on success).
 */
export function bodySucceeded(body: Record<string, unknown>): boolean {
  if (body["success"] === false) return false;
  if (body["success"] === true) return true;
  return collectApiMessages(body).length === 0;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

export function createRequest(projectId: number, user: string, access: Access): CollaborationCreateRequest {
  return {
    projectId,
    collaboratorUserId: user,
    collaborationLiveControl: access.liveControl,
    collaborationWrite: access.permission === "write",
  };
}

/** `write` is always sent: without it QuantConnect's own example keeps the old permission. */
export function updateRequest(
  projectId: number,
  user: string,
  access: Access,
): Required<CollaborationUpdateRequest> {
  return {
    projectId,
    collaboratorUserId: user,
    liveControl: access.liveControl,
    write: access.permission === "write",
  };
}

/** Has a write already taken effect? Used before resending a write whose outcome is unknown. */
export function hasAccess(list: readonly LiveCollaborator[], user: string, access: Access): boolean {
  const entry = findUser(list, user);
  return (
    entry !== undefined && entry.permission === access.permission && entry.liveControl === access.liveControl
  );
}

export function isAbsent(list: readonly LiveCollaborator[], user: string): boolean {
  return findUser(list, user) === undefined;
}

function findUser(list: readonly LiveCollaborator[], user: string): LiveCollaborator | undefined {
  return list.find((entry) => entry.publicId === user);
}
