import type { Permission } from "./access.js";

/** A collaborator as QuantConnect reports it, reduced to what the reconciler needs. */
export interface LiveCollaborator {
  /** Public handle; what `user:` in the desired file names. */
  readonly publicId: string;
  /** Numeric user id; QuantConnect may send null (lean-cli had to allow it in 2026). */
  readonly uid: number | null;
  readonly name: string;
  readonly permission: Permission;
  readonly liveControl: boolean;
  readonly owner: boolean;
}

export interface LiveProject {
  readonly projectId: number;
  readonly name: string;
  readonly collaborators: readonly LiveCollaborator[];
}

/** A project as listed by /projects/read, used to resolve projects declared by name. */
export interface ProjectSummary {
  readonly projectId: number;
  readonly name: string;
}

/** Who the credentials belong to; the self-lockout guard protects this user. */
export interface Identity {
  readonly uid: number;
}
