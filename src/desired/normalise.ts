import type { Access, Permission } from "../model/access.js";
import {
  DEFAULT_SETTINGS,
  type DesiredGrant,
  type DesiredProject,
  type DesiredSettings,
  type DesiredState,
  type GrantContribution,
  type ProjectRef,
} from "../model/desired-state.js";
import type { SourceLocation } from "../model/source-location.js";
import { isTeamEntry, type CollaboratorsDocument, type UserEntry } from "./document-types.js";
import type { PositionIndex } from "./position-index.js";

type Via = GrantContribution["via"];

const DIRECT: Via = { kind: "direct" };

// Shared, frozen Access values: a 10,000-project file has 250,000 grants but only four accesses.
const ACCESS: Readonly<Record<Permission, readonly [Access, Access]>> = {
  read: [
    Object.freeze({ permission: "read", liveControl: false }),
    Object.freeze({ permission: "read", liveControl: true }),
  ],
  write: [
    Object.freeze({ permission: "write", liveControl: false }),
    Object.freeze({ permission: "write", liveControl: true }),
  ],
};

/**
 * A validated document → DesiredState. Effective access is not computed here (expiry depends on
 * the day the plan runs); every contribution keeps where it was declared.
 */
export function normalise(doc: CollaboratorsDocument, index: PositionIndex, digest: string): DesiredState {
  const settings: DesiredSettings = { ...DEFAULT_SETTINGS, ...doc.settings };
  const defaultPermission = doc.defaults?.permission ?? "read";
  const defaultLiveControl = doc.defaults?.liveControl ?? false;
  const teams = doc.teams ?? {};
  const teamVia = new Map<string, Via>();
  const access = (entry: UserEntry): Access =>
    ACCESS[entry.permission ?? defaultPermission][(entry.liveControl ?? defaultLiveControl) ? 1 : 0];
  const at = (node: object) => index.location(index.nodeOffset(node));

  const projects = (doc.projects ?? []).map((project): DesiredProject => {
    const grants = new Map<string, GrantContribution[]>();
    const add = (user: string, contribution: GrantContribution) => {
      const list = grants.get(user);
      if (list === undefined) grants.set(user, [contribution]);
      else list.push(contribution);
    };
    for (const entry of project.collaborators) {
      if (isTeamEntry(entry)) {
        let via = teamVia.get(entry.team);
        if (via === undefined) teamVia.set(entry.team, (via = { kind: "team", team: entry.team }));
        for (const member of teams[entry.team] ?? []) {
          // The earlier expiry wins; the project's reason is the more specific one.
          const expires =
            member.expires === undefined || (entry.expires !== undefined && entry.expires < member.expires)
              ? entry.expires
              : member.expires;
          add(
            member.user,
            contribution(via, access(member), at(member), expires, entry.reason ?? member.reason),
          );
        }
      } else {
        add(entry.user, contribution(DIRECT, access(entry), at(entry), entry.expires, entry.reason));
      }
    }
    const desiredGrants: DesiredGrant[] = [];
    for (const [user, contributions] of grants) desiredGrants.push({ user, contributions });
    return {
      ref: projectRef(project.id, project.name),
      prune: project.prune ?? settings.prune,
      grants: desiredGrants,
      source: at(project),
    };
  });
  return { version: 1, file: index.file, digest, settings, projects };
}

function projectRef(id: number | undefined, name: string | undefined): ProjectRef {
  if (id !== undefined)
    return name === undefined ? { kind: "id", projectId: id } : { kind: "id", projectId: id, name };
  return { kind: "name", name: name ?? "" };
}

/** Optional fields are left out, not set to undefined (exactOptionalPropertyTypes, and stable JSON). */
function contribution(
  via: Via,
  access: Access,
  source: SourceLocation,
  expires: string | undefined,
  reason: string | undefined,
): GrantContribution {
  if (expires === undefined)
    return reason === undefined ? { via, access, source } : { via, access, source, reason };
  return reason === undefined ? { via, access, source, expires } : { via, access, source, expires, reason };
}
