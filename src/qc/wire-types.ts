/**
 * QuantConnect REST API v2 shapes, as documented (../shared/reference/quantconnect-api.md §2–§3).
 * Shared by the client and the sandbox so that both speak exactly the same wire format.
 */

export type WirePermission = "read" | "write";

/** Envelope of every answer. Application errors are HTTP 200 with success:false. */
export interface RestResponse {
  success: boolean;
  errors?: string[];
}

export interface WireCollaborator {
  uid: number | null;
  liveControl: boolean;
  permission: WirePermission;
  publicId: string;
  profileImage: string;
  email: string;
  name: string;
  bio: string;
  owner: boolean;
}

export interface WireProject {
  projectId: number;
  organizationId: string;
  name: string;
  modified: string;
  created: string;
  ownerId: number;
  language: string;
  collaborators: WireCollaborator[];
  leanVersionId: number;
  leanPinnedToMaster: boolean;
  owner: boolean;
  description: string;
  channelId: string;
  parameters: unknown[];
  libraries: unknown[];
  leanEnvironment: number;
  encrypted: boolean;
  codeRunning: boolean;
}

export type AuthenticateResponse = RestResponse;

export interface ProjectsReadRequest {
  projectId?: number;
  start?: number;
  end?: number;
}
export interface ProjectsReadResponse extends RestResponse {
  projects: WireProject[];
  versions: unknown[];
}

export interface CollaborationReadRequest {
  projectId: number;
}
export interface CollaborationReadResponse extends RestResponse {
  collaborators: WireCollaborator[];
  userLiveControl: boolean;
  userPermissions: WirePermission;
}

export interface CollaborationCreateRequest {
  projectId: number;
  collaboratorUserId: string;
  collaborationLiveControl: boolean;
  collaborationWrite: boolean;
}

export interface CollaborationUpdateRequest {
  projectId: number;
  collaboratorUserId: string;
  liveControl: boolean;
  /** Required by the spec; QuantConnect's own Python example leaves it out (keep the permission). */
  write?: boolean;
}

/** The current field is collaboratorId; older clients send collaboratorUserId. We send both. */
export interface CollaborationDeleteRequest {
  projectId: number;
  collaboratorId?: string;
  collaboratorUserId?: string;
}

/** create, update and delete all answer with the project's full collaborator list. */
export interface CollaboratorListResponse extends RestResponse {
  collaborators: WireCollaborator[];
}

export interface LockAcquireRequest {
  projectId: number;
  codeSourceId: string;
}
export type LockAcquireResponse = RestResponse;

/** Paths below the API root (`.../api/v2`). */
export const ENDPOINTS = {
  authenticate: "/authenticate",
  projectsRead: "/projects/read",
  collaborationRead: "/projects/collaboration/read",
  collaborationCreate: "/projects/collaboration/create",
  collaborationUpdate: "/projects/collaboration/update",
  collaborationDelete: "/projects/collaboration/delete",
  lockAcquire: "/projects/collaboration/lock/acquire",
} as const;

export type EndpointName = keyof typeof ENDPOINTS;
export type EndpointPath = (typeof ENDPOINTS)[EndpointName];

export const DEFAULT_API_URL = "https://www.quantconnect.com/api/v2";
