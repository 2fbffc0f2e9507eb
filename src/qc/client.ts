import type { Access } from "../model/access.js";
import type { LiveCollaborator, ProjectSummary } from "../model/live-state.js";
import type { ApiRequestEvent, QuantConnectApi } from "./api.js";
import {
  AttemptFailure,
  apiError,
  authError,
  httpStatusError,
  looksLikeAuthFailure,
  networkError,
  requestNeverSent,
  type RequestSite,
  timeoutError,
  unexpectedResponseError,
  withAttempts,
} from "./api-errors.js";
import {
  parseRetryAfter,
  realSleep,
  retryWithPolicy,
  type AttemptContext,
  type RetryPolicyOptions,
} from "./retry-policy.js";
import { signRequest, type Credentials } from "./signing.js";
import {
  asRecord,
  bodySucceeded,
  collectApiMessages,
  createRequest,
  hasAccess,
  isAbsent,
  parseCollaboratorList,
  parseProjectList,
  type Parsed,
  updateRequest,
} from "./wire-mapping.js";
import { ENDPOINTS, type CollaborationDeleteRequest, type LockAcquireRequest } from "./wire-types.js";

export interface ClientOptions {
  /** API root, e.g. https://www.quantconnect.com/api/v2 (a trailing slash is ignored). */
  readonly apiUrl: string;
  readonly credentials: Credentials;
  readonly fetch?: typeof fetch | undefined;
  /** Clock in milliseconds; signs every attempt and measures the retry budget. */
  readonly now?: (() => number) | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
  /** Per-request timeout (default 30 s), covering the answer's body too. */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicyOptions> | undefined;
  readonly userAgent?: string | undefined;
  readonly onRequest?: ((event: ApiRequestEvent) => void) | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
// A request started with little budget left still gets this long before it is called a timeout.
const MIN_ATTEMPT_TIMEOUT_MS = 1_000;

const notRetryable = { retryable: false, outcomeUnknown: false } as const;

/** The QuantConnect REST client: signing, timeouts, the retry policy, and write idempotency. */
export function createQuantConnectClient(options: ClientOptions): QuantConnectApi {
  const baseUrl = options.apiUrl.replace(/\/+$/, "");
  const { credentials } = options;
  const token = credentials.apiToken;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userAgent = options.userAgent ?? "qc-collab";
  const environment = { now, sleep, random };

  function report(
    site: RequestSite,
    status: ApiRequestEvent["status"],
    success: boolean | undefined,
    attempt: number,
    startedAt: number,
  ): void {
    options.onRequest?.({
      endpoint: site.endpoint,
      status,
      success,
      attempt,
      durationMs: Math.max(0, now() - startedAt),
    });
  }

  /** One HTTP exchange. Resolves with the body of a successful answer; throws AttemptFailure. */
  async function exchange(
    site: RequestSite,
    body: object,
    context: AttemptContext,
  ): Promise<Record<string, unknown>> {
    const url = `${baseUrl}${ENDPOINTS[site.endpoint]}`;
    const startedAt = now();
    // Signed per attempt: the timestamp is part of the hash and ages out after 7200 s.
    const signature = signRequest(credentials, startedAt);
    const limitMs = Math.min(timeoutMs, Math.max(context.remainingMs, MIN_ATTEMPT_TIMEOUT_MS));
    // Only this timer aborts the controller, so an aborted signal means a timeout.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, limitMs);
    let status: number;
    let statusText: string;
    let retryAfter: string | null;
    let text: string;
    try {
      const response = await fetchImpl(url, {
        method: "POST",
        headers: {
          Timestamp: signature.Timestamp,
          Authorization: signature.Authorization,
          "Content-Type": "application/json",
          Accept: "application/json",
          "User-Agent": userAgent,
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      status = response.status;
      statusText = response.statusText;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        report(site, "timeout", undefined, context.attempt, startedAt);
        throw new AttemptFailure(timeoutError(site, limitMs), { retryable: true, outcomeUnknown: true });
      }
      report(site, "network", undefined, context.attempt, startedAt);
      throw new AttemptFailure(networkError(site, url, error, token), {
        retryable: true,
        outcomeUnknown: !requestNeverSent(error),
      });
    } finally {
      clearTimeout(timer);
    }

    const parsed = parseJson(text);
    if (status === 401) {
      report(site, status, false, context.attempt, startedAt);
      const messages = parsed === undefined ? [] : collectApiMessages(parsed);
      throw new AttemptFailure(authError(site, startedAt, messages, token), notRetryable);
    }
    if (status === 429) {
      report(site, status, undefined, context.attempt, startedAt);
      // Rate limited means not processed: safe to resend, writes included.
      throw new AttemptFailure(httpStatusError(site, status, statusText, text, token), {
        retryable: true,
        retryAfterMs: parseRetryAfter(retryAfter, now()),
        outcomeUnknown: false,
        rateLimited: true,
      });
    }
    if (status >= 500) {
      report(site, status, undefined, context.attempt, startedAt);
      throw new AttemptFailure(httpStatusError(site, status, statusText, text, token), {
        retryable: true,
        outcomeUnknown: true,
      });
    }
    if (status < 200 || status >= 300) {
      report(site, status, undefined, context.attempt, startedAt);
      throw new AttemptFailure(httpStatusError(site, status, statusText, text, token), notRetryable);
    }
    if (parsed === undefined) {
      report(site, status, undefined, context.attempt, startedAt);
      throw new AttemptFailure(
        unexpectedResponseError(site, "the body is not a JSON object", token),
        notRetryable,
      );
    }
    const succeeded = bodySucceeded(parsed);
    report(site, status, succeeded, context.attempt, startedAt);
    if (!succeeded) {
      const messages = collectApiMessages(parsed);
      if (looksLikeAuthFailure(messages))
        throw new AttemptFailure(authError(site, startedAt, messages, token), notRetryable);
      const code = site.endpoint === "lockAcquire" ? "E_LOCK" : "E_API";
      throw new AttemptFailure(apiError(site, messages, token, code), notRetryable);
    }
    return parsed;
  }

  async function call<T>(
    site: RequestSite,
    body: object,
    parse: (record: Record<string, unknown>) => Parsed<T>,
    context: AttemptContext,
  ): Promise<T> {
    const record = await exchange(site, body, context);
    const parsed = parse(record);
    if (!parsed.ok)
      throw new AttemptFailure(unexpectedResponseError(site, parsed.problem, token), notRetryable);
    return parsed.value;
  }

  async function withRetry<T>(operation: (context: AttemptContext) => Promise<T>): Promise<T> {
    const start = now();
    let attempts = 0;
    try {
      return await retryWithPolicy({
        operation: (context) => {
          attempts = context.attempt;
          return operation(context);
        },
        classify: (error) =>
          error instanceof AttemptFailure
            ? {
                retryable: error.retryable,
                retryAfterMs: error.retryAfterMs,
                consumesAttempt: !error.rateLimited,
              }
            : { retryable: false },
        policy: options.retry,
        environment,
      });
    } catch (error) {
      if (error instanceof AttemptFailure) throw withAttempts(error.error, attempts, now() - start);
      throw error;
    }
  }

  /**
   * A write is resent only when that cannot apply it twice: after an answer that proves it was not
   * processed (429, connection refused) it is resent as is; after an unknown outcome (timeout, 5xx,
   * dropped connection) the collaborators are read first, and if the effect is already there that
   * list is the result.
   */
  function idempotentWrite(
    site: RequestSite & { projectId: number },
    body: object,
    effectPresent: (list: readonly LiveCollaborator[]) => boolean,
  ): Promise<LiveCollaborator[]> {
    let outcomeUnknown = false;
    return withRetry(async (context) => {
      if (outcomeUnknown) {
        const readSite: RequestSite = { endpoint: "collaborationRead", projectId: site.projectId };
        const current = await call(readSite, { projectId: site.projectId }, parseCollaboratorList, context);
        if (effectPresent(current)) return current;
      }
      try {
        return await call(site, body, parseCollaboratorList, context);
      } catch (error) {
        if (error instanceof AttemptFailure && error.outcomeUnknown) outcomeUnknown = true;
        throw error;
      }
    });
  }

  return {
    async authenticate(): Promise<void> {
      await withRetry((context) =>
        call({ endpoint: "authenticate" }, {}, (record) => ({ ok: true, value: record }), context),
      );
    },

    listProjects(): Promise<ProjectSummary[]> {
      return withRetry((context) => call({ endpoint: "projectsRead" }, {}, parseProjectList, context));
    },

    readCollaborators(projectId: number): Promise<LiveCollaborator[]> {
      const site: RequestSite = { endpoint: "collaborationRead", projectId };
      return withRetry((context) => call(site, { projectId }, parseCollaboratorList, context));
    },

    createCollaborator(projectId: number, user: string, access: Access): Promise<LiveCollaborator[]> {
      return idempotentWrite(
        { endpoint: "collaborationCreate", projectId },
        createRequest(projectId, user, access),
        (list) => hasAccess(list, user, access),
      );
    },

    updateCollaborator(projectId: number, user: string, access: Access): Promise<LiveCollaborator[]> {
      return idempotentWrite(
        { endpoint: "collaborationUpdate", projectId },
        updateRequest(projectId, user, access),
        (list) => hasAccess(list, user, access),
      );
    },

    deleteCollaborator(projectId: number, user: string): Promise<LiveCollaborator[]> {
      // Both field names: the current spec reads collaboratorId, QuantConnect's own example sends collaboratorUserId.
      const body: CollaborationDeleteRequest = { projectId, collaboratorId: user, collaboratorUserId: user };
      return idempotentWrite({ endpoint: "collaborationDelete", projectId }, body, (list) =>
        isAbsent(list, user),
      );
    },

    async acquireLock(projectId: number, codeSourceId: string): Promise<void> {
      // Acquiring again as the same holder is a no-op, so a plain retry cannot duplicate anything.
      const body: LockAcquireRequest = { projectId, codeSourceId };
      await withRetry((context) =>
        call(
          { endpoint: "lockAcquire", projectId },
          body,
          (record) => ({ ok: true, value: record }),
          context,
        ),
      );
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  // An empty 2xx body counts as an empty object (reported for lock/acquire).
  if (text.trim() === "") return {};
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}
