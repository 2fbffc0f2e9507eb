import type { Change } from "../model/plan.js";

/**
 * Creates and updates run before deletes, so that nobody who should keep access loses it in
 * between (DESIGN.md §5). The plan's order is kept within each group: it is the file's order,
 * which makes journals and progress read like the plan.
 */
export function orderChanges(changes: readonly Change[]): Change[] {
  return [...changes.filter((c) => c.action !== "delete"), ...changes.filter((c) => c.action === "delete")];
}
