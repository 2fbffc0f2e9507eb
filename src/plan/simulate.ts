import type { Change } from "../model/plan.js";
import type { LiveCollaborator } from "../model/live-state.js";

/**
 * What QuantConnect's collaborator list looks like after the writes of `changes`, in order: create
 * appends, update replaces the two switches, delete removes; the owner is never altered. Used to
 * verify an apply ("the list after the writes") and by the convergence property test. Throws on a
 * change that the API would reject (create of a present user, update/delete of an absent one, any
 * change to the owner), so a planner bug shows up instead of being modelled away.
 */
export function applyChangesToLive(
  live: readonly LiveCollaborator[],
  changes: readonly Change[],
): LiveCollaborator[] {
  const result = [...live];
  for (const change of changes) {
    const index = result.findIndex((c) => c.publicId === change.user);
    const current = result[index];
    if (current?.owner === true) throw new Error(`simulate: ${change.action} of the owner ${change.user}`);
    if (change.action === "create") {
      if (current !== undefined || change.after === null)
        throw new Error(`simulate: cannot create ${change.user}`);
      result.push({
        publicId: change.user,
        uid: null,
        name: change.user,
        permission: change.after.permission,
        liveControl: change.after.liveControl,
        owner: false,
      });
    } else if (change.action === "update") {
      if (current === undefined || change.after === null)
        throw new Error(`simulate: cannot update ${change.user}`);
      result[index] = {
        ...current,
        permission: change.after.permission,
        liveControl: change.after.liveControl,
      };
    } else {
      if (current === undefined) throw new Error(`simulate: cannot delete ${change.user}`);
      result.splice(index, 1);
    }
  }
  return result;
}
