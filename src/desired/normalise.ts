import type { Access } from "../model/access.js";
import {
  DEFAULT_SETTINGS,
  type DesiredGrant,
  type DesiredProject,
  type DesiredSettings,
  type DesiredState,
  type GrantContribution,
  type ProjectRef,
} from "../model/desired-state.js";
import { isTeamEntry, type CollaboratorsDocument, type TeamEntry, type UserEntry } from "./document-types.js";
import type { PositionIndex } from "./position-index.js";

/**
 * A validated document → DesiredState. Effective access is not computed here (expiry depends on
 * the day the plan runs); every contribution keeps where it was declared.
 */
export function normalise(doc: CollaboratorsDocument, index: PositionIndex, digest: string): DesiredState {
  const settings: DesiredSettings = { ...DEFAULT_SETTINGS, ...doc.settings };
  const defaults: Access = {
    permission: doc.defaults?.permission ?? "read",
    liveControl: doc.defaults?.liveControl ?? false,
  };
  const teams = doc.teams ?? {};
  const access = (entry: UserEntry): Access => ({
    permission: entry.permission ?? defaults.permission,
    liveControl: entry.liveControl ?? defaults.liveControl,
  });
  const at = (offset: number) => index.location(offset);

  const projects = (doc.projects ?? []).map((project): DesiredProject => {
    const grants = new Map<string, GrantContribution[]>();
    const add = (user: string, contribution: GrantContribution) => {
      const list = grants.get(user);
      if (list === undefined) grants.set(user, [contribution]);
      else list.push(contribution);
    };
    for (const entry of project.collaborators) {
      if (isTeamEntry(entry)) {
        for (const member of teams[entry.team] ?? []) {
          add(member.user, {
            via: { kind: "team", team: entry.team },
            access: access(member),
            source: at(index.nodeOffset(member)),
            ...teamTerms(member, entry),
          });
        }
      } else {
        add(entry.user, {
          via: { kind: "direct" },
          access: access(entry),
          source: at(index.nodeOffset(entry)),
          ...terms(entry.expires, entry.reason),
        });
      }
    }
    const desiredGrants: DesiredGrant[] = [...grants].map(([user, contributions]) => ({
      user,
      contributions,
    }));
    return {
      ref: projectRef(project.id, project.name),
      prune: project.prune ?? settings.prune,
      grants: desiredGrants,
      source: at(index.nodeOffset(project)),
    };
  });
  return { version: 1, file: index.file, digest, settings, projects };
}

function projectRef(id: number | undefined, name: string | undefined): ProjectRef {
  if (id !== undefined)
    return name === undefined ? { kind: "id", projectId: id } : { kind: "id", projectId: id, name };
  return { kind: "name", name: name ?? "" };
}

/** A team member pulled in by a reference: the earlier expiry wins; the project's reason is more specific. */
function teamTerms(member: UserEntry, reference: TeamEntry): { expires?: string; reason?: string } {
  const dates = [member.expires, reference.expires].filter((d): d is string => d !== undefined).sort();
  return terms(dates[0], reference.reason ?? member.reason);
}

function terms(
  expires: string | undefined,
  reason: string | undefined,
): { expires?: string; reason?: string } {
  return {
    ...(expires === undefined ? {} : { expires }),
    ...(reason === undefined ? {} : { reason }),
  };
}
