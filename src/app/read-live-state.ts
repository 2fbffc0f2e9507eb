import type { LiveCollaborator } from "../model/live-state.js";
import type { QuantConnectApi } from "../qc/api.js";
import { mapWithConcurrency } from "../apply/concurrency-pool.js";

export const DEFAULT_READ_CONCURRENCY = 8;

/**
 * Exactly one /projects/collaboration/read per project, at most `concurrency` in flight; the map
 * keeps the order of `projects`. Any failed read fails the whole read: a plan is never built from
 * a partial picture of the live state.
 */
export async function readLiveState(
  api: QuantConnectApi,
  projects: readonly { readonly projectId: number }[],
  options: { readonly concurrency?: number } = {},
): Promise<Map<number, LiveCollaborator[]>> {
  const ids = [...new Set(projects.map((p) => p.projectId))];
  const lists = await mapWithConcurrency(ids, options.concurrency ?? DEFAULT_READ_CONCURRENCY, (id) =>
    api.readCollaborators(id),
  );
  return new Map(ids.map((id, i) => [id, lists[i] ?? []]));
}
