import { randomBytes } from "node:crypto";

/**
 * Generated organisations for the benchmark and the reliability suite: one owner (the user the
 * tool runs as) owns every project; each project has `collaborators` members picked from a pool.
 * Everything is deterministic from the sizes except the API tokens, which are random so no test
 * can pass by knowing them.
 */

export interface GeneratedUser {
  uid: number;
  publicId: string;
  name: string;
  email: string;
  apiToken: string;
}

export interface GeneratedCollaborator {
  publicId: string;
  permission: "read" | "write";
  liveControl: boolean;
}

export interface GeneratedProject {
  projectId: number;
  name: string;
  ownerUid: number;
  collaborators: GeneratedCollaborator[];
}

/** The sandbox seed format (DESIGN.md §7). */
export interface GeneratedSeed {
  users: GeneratedUser[];
  projects: GeneratedProject[];
}

export interface OrganisationSize {
  readonly projects: number;
  readonly collaborators: number;
}

export const FIRST_PROJECT_ID = 30_000_000;
const OWNER_UID = 500_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** The pool is larger than one project's list so each project can gain a user it lacks. */
export function poolSize(collaborators: number): number {
  return Math.max(collaborators * 3, 40);
}

export function generateSeed(size: OrganisationSize): GeneratedSeed {
  const pool = poolSize(size.collaborators);
  const owner: GeneratedUser = {
    uid: OWNER_UID,
    publicId: "bench_owner",
    name: "Bench Owner",
    email: "owner@bench.invalid",
    apiToken: randomBytes(32).toString("hex"),
  };
  const users: GeneratedUser[] = [owner];
  for (let i = 0; i < pool; i++) {
    users.push({
      uid: OWNER_UID + 1 + i,
      publicId: `user_${pad(i, 4)}`,
      name: `User ${i}`,
      email: `user${i}@bench.invalid`,
      apiToken: randomBytes(32).toString("hex"),
    });
  }
  const projects: GeneratedProject[] = [];
  for (let p = 0; p < size.projects; p++) {
    const collaborators: GeneratedCollaborator[] = [];
    for (let k = 0; k < size.collaborators; k++) {
      // Consecutive pool members from a per-project offset: distinct within a project.
      const member = users[1 + ((p * 7 + k) % pool)];
      if (member === undefined) throw new Error("pool too small");
      collaborators.push({
        publicId: member.publicId,
        permission: (p + k) % 3 === 0 ? "write" : "read",
        liveControl: (p + k) % 5 === 0,
      });
    }
    projects.push({
      projectId: FIRST_PROJECT_ID + p,
      name: `Project ${pad(p, 5)}`,
      ownerUid: OWNER_UID,
      collaborators,
    });
  }
  return { users, projects };
}

/**
 * The changes a "with changes" desired file asks for, per project: the first collaborator's
 * permission flips (update), the last one is left out (delete, prune on), and the next pool member
 * is added (create). Three changes per project, the declared list keeps its length.
 */
export function changedCollaborators(
  project: GeneratedProject,
  seed: GeneratedSeed,
  projectIndex: number,
): GeneratedCollaborator[] {
  const pool = seed.users.length - 1;
  const list = project.collaborators.map((c) => ({ ...c }));
  const first = list[0];
  if (first === undefined) return list;
  first.permission = first.permission === "write" ? "read" : "write";
  list.pop();
  const added = seed.users[1 + ((projectIndex * 7 + project.collaborators.length) % pool)];
  if (added === undefined) throw new Error("pool too small");
  list.push({ publicId: added.publicId, permission: "read", liveControl: false });
  return list;
}

export interface DesiredFileOptions {
  /** Ask for the three changes per project of `changedCollaborators` (default: mirror live). */
  readonly changed?: boolean;
  readonly lock?: boolean;
}

/** A block-style collaborators.yaml, the way people write it, naming every project by id only. */
export function generateDesiredYaml(seed: GeneratedSeed, options: DesiredFileOptions = {}): string {
  const lines: string[] = [
    "version: 1",
    "settings:",
    "  codeSourceId: qc-collab-bench",
    `  lock: ${String(options.lock ?? true)}`,
    "  prune: true",
    "  maxDeletions: 1000000",
    "defaults:",
    "  permission: read",
    "  liveControl: false",
    "projects:",
  ];
  seed.projects.forEach((project, index) => {
    // The name goes in a comment: a `name:` key is checked against /projects/read, one extra call.
    lines.push(`  - id: ${String(project.projectId)} # ${project.name}`, "    collaborators:");
    const list =
      options.changed === true ? changedCollaborators(project, seed, index) : project.collaborators;
    for (const c of list) {
      lines.push(`      - user: ${c.publicId}`);
      if (c.permission === "write") lines.push("        permission: write");
      if (c.liveControl) lines.push("        liveControl: true");
    }
  });
  return `${lines.join("\n")}\n`;
}

/** The owner: the credentials every benchmark and reliability run uses. */
export function ownerOf(seed: GeneratedSeed): GeneratedUser {
  const owner = seed.users[0];
  if (owner === undefined) throw new Error("empty seed");
  return owner;
}
