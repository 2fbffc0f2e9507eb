import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector } from "./faults.js";
import type { RequestStats } from "./request-stats.js";
import type { SandboxStore } from "./state-store.js";

/** The admin view of the state: never any token (GET /__sandbox/state). */
export interface AdminState {
  users: { uid: number; publicId: string; name: string }[];
  projects: {
    projectId: number;
    name: string;
    ownerUid: number;
    collaborators: { publicId: string; permission: "read" | "write"; liveControl: boolean }[];
  }[];
  locks: {
    projectId: number;
    uid: number;
    publicId: string;
    codeSourceId: string;
    acquiredAt: string;
    expiresAt: string;
  }[];
}

export function adminState(store: SandboxStore, nowMs: number): AdminState {
  return {
    users: store.users.map((u) => ({ uid: u.uid, publicId: u.publicId, name: u.name })),
    projects: store.projects.map((p) => ({
      projectId: p.projectId,
      name: p.name,
      ownerUid: p.ownerUid,
      collaborators: p.collaborators.map((c) => ({ ...c })),
    })),
    locks: store.locks.list(nowMs).map((l) => ({
      projectId: l.projectId,
      uid: l.uid,
      publicId: store.userByUid(l.uid)?.publicId ?? "",
      codeSourceId: l.codeSourceId,
      acquiredAt: new Date(l.acquiredAtMs).toISOString(),
      expiresAt: new Date(l.expiresAtMs).toISOString(),
    })),
  };
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

export interface AdminDeps {
  readonly store: SandboxStore;
  readonly stats: RequestStats;
  readonly faults: FaultInjector;
  readonly now: () => number;
}

type Send = (res: ServerResponse, status: number, body: unknown) => void;

/** Admin endpoints live outside the API: no auth, no faults, not counted, loopback callers only. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: AdminDeps,
  send: Send,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    send(res, 403, { success: false, errors: ["sandbox admin endpoints answer loopback callers only"] });
    return;
  }
  const route = `${req.method ?? "GET"} ${path}`;
  switch (route) {
    case "GET /__sandbox/state":
      send(res, 200, adminState(deps.store, deps.now()));
      return;
    case "GET /__sandbox/stats":
      send(res, 200, deps.stats.snapshot());
      return;
    case "POST /__sandbox/stats/reset":
      deps.stats.reset();
      send(res, 200, { success: true });
      return;
    case "POST /__sandbox/reset":
      await deps.store.reset();
      deps.stats.reset();
      deps.faults.reset();
      send(res, 200, { success: true });
      return;
    default:
      send(res, 404, {
        success: false,
        errors: [
          `unknown admin route ${route}: use GET /__sandbox/state, GET /__sandbox/stats, POST /__sandbox/reset or POST /__sandbox/stats/reset`,
        ],
      });
  }
}
