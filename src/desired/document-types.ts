import type { Permission } from "../model/access.js";

/*
 * The shape of collaborators.yaml once it has passed the JSON Schema: what the normaliser reads.
 * It mirrors schemas/collaborators.schema.json; the schema is the authority.
 */

export interface UserEntry {
  readonly user: string;
  readonly permission?: Permission;
  readonly liveControl?: boolean;
  readonly expires?: string;
  readonly reason?: string;
}

export interface TeamEntry {
  readonly team: string;
  readonly expires?: string;
  readonly reason?: string;
}

export interface ProjectEntry {
  readonly id?: number;
  readonly name?: string;
  readonly prune?: boolean;
  readonly collaborators: readonly (UserEntry | TeamEntry)[];
}

export interface CollaboratorsDocument {
  readonly version: 1;
  readonly settings?: {
    readonly codeSourceId?: string;
    readonly lock?: boolean;
    readonly prune?: boolean;
    readonly maxDeletions?: number;
    readonly expiryWarningDays?: number;
  };
  readonly defaults?: { readonly permission?: Permission; readonly liveControl?: boolean };
  readonly teams?: Readonly<Record<string, readonly UserEntry[]>>;
  readonly projects?: readonly ProjectEntry[];
}

export function isTeamEntry(entry: UserEntry | TeamEntry): entry is TeamEntry {
  return "team" in entry;
}
