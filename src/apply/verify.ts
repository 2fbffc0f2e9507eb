import type { Access } from "../model/access.js";
import type { LiveCollaborator } from "../model/live-state.js";
import type { Change } from "../model/plan.js";

function describe(access: Access | undefined): string {
  if (access === undefined) return "absent";
  return `${access.permission}${access.liveControl ? " + live control" : ""}`;
}

function sameAccess(a: Access | undefined, b: Access | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.permission === b.permission && a.liveControl === b.liveControl;
}

function byUser(list: readonly LiveCollaborator[]): Map<string, Access> {
  return new Map(list.map((c) => [c.publicId, { permission: c.permission, liveControl: c.liveControl }]));
}

/**
 * Differences between the collaborator list apply expects after a project's last write and the
 * list that write returned, one readable line per user; empty when they match. Users are compared
 * by public id, permission and live control; order and display fields do not matter.
 *
 * `ignore` holds the unmanaged collaborators (prune off): the plan promised to leave them alone,
 * so whatever happens to them meanwhile is not apply's business. Everybody else must be exactly as
 * planned — including nobody new: an unexpected arrival is a concurrent edit worth a second look.
 */
export function collaboratorDifferences(
  expected: readonly LiveCollaborator[],
  actual: readonly LiveCollaborator[],
  ignore: ReadonlySet<string> = new Set(),
): string[] {
  const want = byUser(expected);
  const got = byUser(actual);
  const users = [...new Set([...want.keys(), ...got.keys()])].sort();
  return users
    .filter((user) => !ignore.has(user))
    .filter((user) => !sameAccess(want.get(user), got.get(user)))
    .map((user) => `${user}: expected ${describe(want.get(user))}, found ${describe(got.get(user))}`);
}

/**
 * The weaker check used when the live list the plan was made from is not known: only the users the
 * plan changes are compared (created and updated users have their new access, deleted ones are gone).
 */
export function changedUserDifferences(
  changes: readonly Change[],
  actual: readonly LiveCollaborator[],
): string[] {
  const got = byUser(actual);
  return changes
    .filter((c) => !sameAccess(c.after ?? undefined, got.get(c.user)))
    .map((c) => `${c.user}: expected ${describe(c.after ?? undefined)}, found ${describe(got.get(c.user))}`);
}
