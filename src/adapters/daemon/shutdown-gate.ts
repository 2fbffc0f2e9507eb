import { QcCollabError } from "../../model/errors.js";
import type { QuantConnectApi } from "../../qc/api.js";

/**
 * Wraps the API so that after shutdown begins no NEW call starts: the call in flight finishes (a
 * write is never cut halfway), the next one throws E_INTERRUPTED, and the run ends promptly.
 */
export function gateApi(api: QuantConnectApi, isShuttingDown: () => boolean): QuantConnectApi {
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => {
    return (...args: A): Promise<R> => {
      if (isShuttingDown()) {
        return Promise.reject(
          new QcCollabError("E_INTERRUPTED", "not started: the reconciler is shutting down (SIGTERM/SIGINT)"),
        );
      }
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
