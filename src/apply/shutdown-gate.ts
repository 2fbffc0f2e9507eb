import { QcCollabError } from "../model/errors.js";
import type { QuantConnectApi } from "../qc/api.js";

/**
 * Wraps the API so that once stopping begins (a signal to the CLI or to the reconciler) no NEW
 * call starts: the calls in flight finish (a write is never cut halfway), every later one throws
 * E_INTERRUPTED without reaching QuantConnect, and applyPlan records those changes as skipped.
 * `reason` ends up in the result and the journal.
 */
export function gateApi(
  api: QuantConnectApi,
  isStopping: () => boolean,
  reason = "interrupted (SIGTERM/SIGINT)",
): QuantConnectApi {
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => {
    return (...args: A): Promise<R> => {
      if (isStopping()) return Promise.reject(new QcCollabError("E_INTERRUPTED", reason));
      return call(...args);
    };
  };
  return {
    authenticate: guard(() => api.authenticate()),
    listProjects: guard(() => api.listProjects()),
    readCollaborators: guard((projectId: number) => api.readCollaborators(projectId)),
    createCollaborator: guard(
      (projectId: number, user: string, access: Parameters<QuantConnectApi["createCollaborator"]>[2]) =>
        api.createCollaborator(projectId, user, access),
    ),
    updateCollaborator: guard(
      (projectId: number, user: string, access: Parameters<QuantConnectApi["updateCollaborator"]>[2]) =>
        api.updateCollaborator(projectId, user, access),
    ),
    deleteCollaborator: guard((projectId: number, user: string) => api.deleteCollaborator(projectId, user)),
    acquireLock: guard((projectId: number, codeSourceId: string) => api.acquireLock(projectId, codeSourceId)),
  };
}
