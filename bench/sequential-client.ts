import { createHash } from "node:crypto";
import { request } from "node:http";
import type { GeneratedCollaborator } from "./generate.js";

/**
 * The baseline: QuantConnect's documented Python example (shared/seed), transcribed to
 * TypeScript. One `post()` after another, fresh headers for every call (get_headers()), no
 * concurrency, no connection reuse (requests.post opens a new session per call), JSON bodies with
 * the field names of the example.
 */

export interface SequentialCredentials {
  readonly userId: string;
  readonly apiToken: string;
}

interface WireCollaborator {
  publicId: string;
  permission: "read" | "write";
  liveControl: boolean;
  owner: boolean;
}

function getHeaders(credentials: SequentialCredentials): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const hashed = createHash("sha256").update(`${credentials.apiToken}:${timestamp}`).digest("hex");
  const authentication = Buffer.from(`${credentials.userId}:${hashed}`).toString("base64");
  return { Authorization: `Basic ${authentication}`, Timestamp: timestamp };
}

function post(url: string, headers: Record<string, string>, json: object): Promise<Record<string, unknown>> {
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          ...headers,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          try {
            resolve(JSON.parse(text) as Record<string, unknown>);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export class SequentialClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: SequentialCredentials,
  ) {}

  private async call(path: string, json: object): Promise<Record<string, unknown>> {
    const result = await post(`${this.baseUrl}${path}`, getHeaders(this.credentials), json);
    if (result["success"] !== true) throw new Error(`${path} failed: ${JSON.stringify(result["errors"])}`);
    return result;
  }

  async read(projectId: number): Promise<WireCollaborator[]> {
    const result = await this.call("/projects/collaboration/read", { projectId });
    return result["collaborators"] as WireCollaborator[];
  }

  async lock(projectId: number, codeSourceId: string): Promise<void> {
    await this.call("/projects/collaboration/lock/acquire", { projectId, codeSourceId });
  }

  async create(projectId: number, c: GeneratedCollaborator): Promise<void> {
    await this.call("/projects/collaboration/create", {
      projectId,
      collaboratorUserId: c.publicId,
      collaborationLiveControl: c.liveControl,
      collaborationWrite: c.permission === "write",
    });
  }

  async update(projectId: number, c: GeneratedCollaborator): Promise<void> {
    await this.call("/projects/collaboration/update", {
      projectId,
      collaboratorUserId: c.publicId,
      liveControl: c.liveControl,
      write: c.permission === "write",
    });
  }

  async delete(projectId: number, publicId: string): Promise<void> {
    await this.call("/projects/collaboration/delete", { projectId, collaboratorUserId: publicId });
  }
}

export type SequentialChange =
  | { readonly action: "create" | "update"; readonly collaborator: GeneratedCollaborator }
  | { readonly action: "delete"; readonly publicId: string };

/** What a script author would write: compare the read list with the wanted one, owner untouched. */
export function diffProject(
  live: readonly WireCollaborator[],
  desired: readonly GeneratedCollaborator[],
): SequentialChange[] {
  const changes: SequentialChange[] = [];
  const byId = new Map(live.map((c) => [c.publicId, c]));
  for (const want of desired) {
    const have = byId.get(want.publicId);
    if (have === undefined) changes.push({ action: "create", collaborator: want });
    else if (!have.owner && (have.permission !== want.permission || have.liveControl !== want.liveControl)) {
      changes.push({ action: "update", collaborator: want });
    }
  }
  const wanted = new Set(desired.map((c) => c.publicId));
  for (const have of live) {
    if (!have.owner && !wanted.has(have.publicId))
      changes.push({ action: "delete", publicId: have.publicId });
  }
  return changes;
}

export interface DesiredProjectList {
  readonly projectId: number;
  readonly collaborators: readonly GeneratedCollaborator[];
}

/** "plan": one read per project, one after another; returns the changes per project. */
export async function sequentialPlan(
  client: SequentialClient,
  desired: readonly DesiredProjectList[],
): Promise<Map<number, SequentialChange[]>> {
  const out = new Map<number, SequentialChange[]>();
  for (const project of desired) {
    out.set(project.projectId, diffProject(await client.read(project.projectId), project.collaborators));
  }
  return out;
}

/** "apply": lock, then the writes, one call after another (creates/updates before deletes). */
export async function sequentialApply(
  client: SequentialClient,
  changes: ReadonlyMap<number, readonly SequentialChange[]>,
  codeSourceId: string,
): Promise<void> {
  for (const [projectId, list] of changes) {
    if (list.length === 0) continue;
    await client.lock(projectId, codeSourceId);
    for (const change of list) {
      if (change.action === "delete") await client.delete(projectId, change.publicId);
      else if (change.action === "create") await client.create(projectId, change.collaborator);
      else await client.update(projectId, change.collaborator);
    }
  }
}
