import type { Access } from "./access.js";

export type ChangeAction = "create" | "update" | "delete";

export interface Change {
  readonly action: ChangeAction;
  readonly user: string;
  /** Live access before the change; null for create. */
  readonly before: Access | null;
  /** Access after the change; null for delete. */
  readonly after: Access | null;
  /**
   * Why the change is in the plan: `file:line` of the declaration that asks for it, or for
   * deletes a reason such as "not declared, prune on" or "expired on 2027-03-31".
   */
  readonly source: string;
  /** Free-text reason from the file (`reason:`), shown in the plan. */
  readonly reason?: string;
  /**
   * Creates and updates only: the last day (`YYYY-MM-DD`) of the declaration that decides the
   * access, when it expires, so a reviewer sees that the grant is temporary.
   */
  readonly expires?: string;
  /** The change grants more than before: read→write, liveControl granted, or a new user with write. */
  readonly escalation: boolean;
  /** The change removes or downgrades the authenticated user: apply refuses it (exit 4). */
  readonly selfLockout: boolean;
}

export interface UnmanagedCollaborator {
  readonly user: string;
  readonly access: Access;
}

export interface ProjectPlan {
  readonly projectId: number;
  readonly name: string;
  /** Digest of the live collaborator list the plan was computed from (staleness check). */
  readonly fingerprint: string;
  readonly changes: readonly Change[];
  /** Live collaborators not declared and kept because prune is off. */
  readonly unmanaged: readonly UnmanagedCollaborator[];
}

export interface PlanWarning {
  readonly code: string;
  readonly message: string;
  readonly projectId?: number;
  readonly source?: string;
  /** The user the warning is about (e.g. W_EXPIRING_GRANT, W_OWNER_ACCESS). */
  readonly user?: string;
  /** A date the warning is about, `YYYY-MM-DD` (e.g. the expiry date of W_EXPIRING_GRANT). */
  readonly date?: string;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  /** Projects considered (declared and targeted). */
  readonly projects: number;
  /** Projects with at least one change. */
  readonly changedProjects: number;
}

/** Settings apply needs, carried in the plan so that a saved plan applies exactly as reviewed. */
export interface PlanApplySettings {
  readonly lock: boolean;
  readonly codeSourceId: string;
  readonly maxDeletions: number;
}

/** The versioned contract of `--format json` and of saved plan files (DESIGN.md §4). */
export interface Plan {
  readonly formatVersion: 1;
  readonly createdAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly configDigest: string;
  readonly configFile: string;
  readonly settings: PlanApplySettings;
  readonly summary: PlanSummary;
  readonly projects: readonly ProjectPlan[];
  readonly warnings: readonly PlanWarning[];
}
