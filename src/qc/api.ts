import type { Access } from "../model/access.js";
import type { LiveCollaborator, ProjectSummary } from "../model/live-state.js";
import type { EndpointName } from "./wire-types.js";

/**
 * The one door to QuantConnect, as the rest of the tool sees it. Implemented over HTTP by
 * `createQuantConnectClient` (src/qc/client.ts). Every method throws QcCollabError
 * (E_AUTH, E_API, E_NETWORK, E_TIMEOUT, E_LOCK) and never puts the token or its hash in a message.
 */
export interface QuantConnectApi {
  /** Checks the credentials through /authenticate. */
  authenticate(): Promise<void>;
  /** All projects the user can see (one /projects/read without projectId). */
  listProjects(): Promise<ProjectSummary[]>;
  /** One /projects/collaboration/read; the list includes the owner (owner: true). */
  readCollaborators(projectId: number): Promise<LiveCollaborator[]>;
  /** Each write answers with the project's full collaborator list after the change. */
  createCollaborator(projectId: number, user: string, access: Access): Promise<LiveCollaborator[]>;
  updateCollaborator(projectId: number, user: string, access: Access): Promise<LiveCollaborator[]>;
  deleteCollaborator(projectId: number, user: string): Promise<LiveCollaborator[]>;
  /** /projects/collaboration/lock/acquire; E_LOCK when another holder has it. */
  acquireLock(projectId: number, codeSourceId: string): Promise<void>;
}

/** One HTTP exchange as the client saw it; feeds logs and Prometheus metrics. Never holds secrets. */
export interface ApiRequestEvent {
  readonly endpoint: EndpointName;
  /** HTTP status, or "network" / "timeout" when no answer came. */
  readonly status: number | "network" | "timeout";
  /** false when the body said success:false. */
  readonly success: boolean | undefined;
  readonly attempt: number;
  readonly durationMs: number;
}
