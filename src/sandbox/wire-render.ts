import { createHash } from "node:crypto";
import type { WireCollaborator, WireProject } from "../qc/wire-types.js";
import type { SeedProject, SeedUser } from "./seed.js";
import type { SandboxStore } from "./state-store.js";

/** Turns sandbox state into the exact wire shapes of src/qc/wire-types.ts. */

function hex(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function collaboratorOf(user: SeedUser, permission: "read" | "write", liveControl: boolean, owner: boolean) {
  const wire: WireCollaborator = {
    uid: user.uid,
    liveControl,
    permission,
    publicId: user.publicId,
    profileImage: `https://cdn.quantconnect.com/web/i/users/profile/${hex(`profile:${user.publicId}`, 24)}.jpeg`,
    email: user.email,
    name: user.name,
    bio: user.bio ?? "",
    owner,
  };
  return wire;
}

/** The project's full list as QuantConnect answers it: the owner first (owner: true, write, live). */
export function collaboratorList(store: SandboxStore, project: SeedProject): WireCollaborator[] {
  const list: WireCollaborator[] = [];
  const owner = store.userByUid(project.ownerUid);
  if (owner !== undefined) list.push(collaboratorOf(owner, "write", true, true));
  for (const entry of project.collaborators) {
    const user = store.userByPublicId(entry.publicId);
    if (user !== undefined) list.push(collaboratorOf(user, entry.permission, entry.liveControl, false));
  }
  return list;
}

/** One organisation per owner: a stable 32-hex id, like QuantConnect's. */
export function organizationIdOf(ownerUid: number): string {
  return hex(`organization:${ownerUid}`, 32);
}

export function projectOf(store: SandboxStore, project: SeedProject, callerUid: number): WireProject {
  const created = project.created ?? "2024-03-04 09:15:00";
  return {
    projectId: project.projectId,
    organizationId: organizationIdOf(project.ownerUid),
    name: project.name,
    modified: project.modified ?? created,
    created,
    ownerId: project.ownerUid,
    language: project.language ?? "Py",
    collaborators: collaboratorList(store, project),
    leanVersionId: 17000,
    leanPinnedToMaster: true,
    owner: project.ownerUid === callerUid,
    description: project.description ?? "",
    channelId: hex(`channel:${project.projectId}`, 32),
    parameters: [],
    libraries: [],
    leanEnvironment: 1,
    encrypted: false,
    codeRunning: false,
  };
}
