import type { Access } from "./access.js";
import type { SourceLocation } from "./source-location.js";

export interface DesiredSettings {
  /** Sent with lock/acquire so QuantConnect records who edits. */
  readonly codeSourceId: string;
  /** Acquire the project lock before changing a project. */
  readonly lock: boolean;
  /** Default for projects: remove live collaborators that are not declared. */
  readonly prune: boolean;
  /** Apply stops (exit 4) if the plan removes more than this many collaborators. */
  readonly maxDeletions: number;
  /** Grants expiring within this many days are warned about in every plan. */
  readonly expiryWarningDays: number;
}

/**
 * One declaration that contributes access for a user in a project: either a direct entry in the
 * project, or a team entry (the team's member line) pulled in by a `team:` reference.
 * Effective access is computed from these by the planner, because expiry depends on the date.
 */
export interface GrantContribution {
  readonly via: { readonly kind: "direct" } | { readonly kind: "team"; readonly team: string };
  readonly access: Access;
  /** Where this contribution is declared (the user's line: in the project, or in the team). */
  readonly source: SourceLocation;
  /** ISO date `YYYY-MM-DD`; after this day the contribution is no longer desired. */
  readonly expires?: string;
  readonly reason?: string;
}

/** Everything the file says about one user in one project. */
export interface DesiredGrant {
  /** QuantConnect public id (the handle in the profile URL). */
  readonly user: string;
  readonly contributions: readonly GrantContribution[];
}

export type ProjectRef =
  | { readonly kind: "id"; readonly projectId: number; readonly name?: string }
  | { readonly kind: "name"; readonly name: string };

export interface DesiredProject {
  readonly ref: ProjectRef;
  readonly prune: boolean;
  readonly grants: readonly DesiredGrant[];
  readonly source: SourceLocation;
}

export interface DesiredState {
  readonly version: 1;
  /** Path of the file as given by the user; used in every `file:line` citation. */
  readonly file: string;
  /** sha256 of the file's bytes: ties a saved plan to the configuration it came from. */
  readonly digest: string;
  readonly settings: DesiredSettings;
  readonly projects: readonly DesiredProject[];
}

export const DEFAULT_SETTINGS: DesiredSettings = {
  codeSourceId: "qc-collab",
  lock: true,
  prune: false,
  maxDeletions: 10,
  expiryWarningDays: 14,
};
