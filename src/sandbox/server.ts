import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { ENDPOINTS } from "../qc/wire-types.js";
import { handleAdmin } from "./admin.js";
import { authenticate, WWW_AUTHENTICATE } from "./auth.js";
import { FaultInjector, type FaultDecision } from "./faults.js";
import { AppError, type HandlerContext, type HandlerResult } from "./handler-context.js";
import {
  handleAuthenticate,
  handleCollaborationRead,
  handleLockAcquire,
  handleProjectsRead,
} from "./read-handlers.js";
import { BodyError, FieldError, parseParams, readBody } from "./request-input.js";
import { RequestStats } from "./request-stats.js";
import { validateSeed } from "./seed.js";
import { SandboxStore } from "./state-store.js";
import {
  handleCollaborationCreate,
  handleCollaborationDelete,
  handleCollaborationUpdate,
} from "./write-handlers.js";

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks an ephemeral port. */
  readonly port?: number;
  /** A parsed seed object (validated here). Needed unless statePath already exists. */
  readonly seed?: unknown;
  /** Persisted state: loaded when it exists, else created from the seed; rewritten after each change. */
  readonly statePath?: string;
  /** Collaborator writes on a project with collaborators require the caller to hold the lock. */
  readonly strictLock?: boolean;
  /** Lock lifetime, default 300 s. */
  readonly lockTtlSeconds?: number;
  readonly latencyMs?: number;
  readonly failRate?: number;
  readonly rateLimit?: number;
  readonly randomSeed?: number;
  /** Injected clock (Unix ms): auth timestamps, lock TTLs, rate limit windows, dates. */
  readonly now?: () => number;
  /** 401 (spec, default) or 200 (the {success:false} body some users observed) for auth failures. */
  readonly authFailureStatus?: 401 | 200;
  /** One line per request (no headers, no query string), e.g. to stderr. */
  readonly logger?: (line: string) => void;
}

export interface RunningSandbox {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** origin + "/api/v2" */
  readonly apiUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

type Handler = (ctx: HandlerContext) => HandlerResult;

const ROUTES: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [ENDPOINTS.authenticate, handleAuthenticate],
  [ENDPOINTS.projectsRead, handleProjectsRead],
  [ENDPOINTS.collaborationRead, handleCollaborationRead],
  [ENDPOINTS.collaborationCreate, handleCollaborationCreate],
  [ENDPOINTS.collaborationUpdate, handleCollaborationUpdate],
  [ENDPOINTS.collaborationDelete, handleCollaborationDelete],
  [ENDPOINTS.lockAcquire, handleLockAcquire],
]);

const API_PREFIX = "/api/v2";

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** `/api/v2//authenticate/` → `/api/v2/authenticate`: QuantConnect's own example doubles the slash. */
function normalisePath(rawUrl: string | undefined): { path: string; query: URLSearchParams } {
  const url = new URL(rawUrl ?? "/", "http://sandbox.invalid");
  const path = url.pathname.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
  return { path, query: url.searchParams };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  uid?: number;
}

export async function startSandboxServer(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const seed = options.seed === undefined ? undefined : validateSeed(options.seed);
  const store = await SandboxStore.open({
    ...(seed === undefined ? {} : { seed }),
    ...(options.statePath === undefined ? {} : { statePath: options.statePath }),
    now,
  });
  const stats = new RequestStats();
  const faults = new FaultInjector(options);
  const log = options.logger ?? (() => undefined);
  const authFailureStatus = options.authFailureStatus ?? 401;
  const lockTtlMs = (options.lockTtlSeconds ?? 300) * 1000;

  async function processApi(req: IncomingMessage, path: string, query: URLSearchParams): Promise<Answer> {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "POST") {
      return {
        status: 405,
        body: { success: false, errors: [`method ${method} not allowed: use POST or GET`] },
      };
    }
    const endpoint = path.slice(API_PREFIX.length);
    const handler = ROUTES.get(endpoint);
    if (handler === undefined) {
      return { status: 404, body: { success: false, errors: [`unknown endpoint ${path}`] } };
    }
    let params;
    try {
      params = parseParams(query, await readBody(req), req.headers["content-type"]);
    } catch (error) {
      if (error instanceof BodyError)
        return { status: error.status, body: { success: false, errors: [error.message] } };
      throw error;
    }
    const auth = authenticate(req.headers, (uid) => store.userByUid(uid), now());
    if (!auth.ok) {
      return {
        status: authFailureStatus,
        body: { success: false, errors: [auth.message] },
        headers: { "WWW-Authenticate": WWW_AUTHENTICATE },
      };
    }
    const ctx: HandlerContext = {
      store,
      caller: auth.user,
      params,
      nowMs: now(),
      strictLock: options.strictLock ?? false,
      lockTtlMs,
    };
    try {
      const result = handler(ctx);
      if (result.changed) await store.persist();
      return { status: 200, body: result.body, uid: auth.user.uid };
    } catch (error) {
      if (error instanceof AppError || error instanceof FieldError) {
        return { status: 200, body: { success: false, errors: [error.message] }, uid: auth.user.uid };
      }
      throw error;
    }
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) {
    const started = Date.now();
    const endpoint = ROUTES.has(path.slice(API_PREFIX.length)) ? path.slice(API_PREFIX.length) : "(unknown)";
    const finish = (answer: Answer | "dropped") => {
      const outcome = answer === "dropped" ? "dropped" : answer.status;
      stats.record(endpoint, outcome);
      const who = answer !== "dropped" && answer.uid !== undefined ? ` uid=${answer.uid}` : "";
      log(`${req.method ?? "?"} ${path} ${outcome} ${Date.now() - started}ms${who}`);
    };
    const drop = async () => {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      finish("dropped");
      req.socket.destroy();
    };
    const reply = async (answer: Answer) => {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      finish(answer);
      sendJson(res, answer.status, answer.body, answer.headers);
    };

    const admitted = faults.admit(now());
    if (!admitted.ok) {
      req.resume();
      const message = `Too many requests: the sandbox allows ${options.rateLimit ?? 0} per second; retry after ${admitted.retryAfterSeconds} s`;
      await reply({
        status: 429,
        body: { success: false, errors: [message] },
        headers: { "Retry-After": String(admitted.retryAfterSeconds) },
      });
      return;
    }
    const fault: FaultDecision = faults.decide();
    if (fault.kind !== "none" && fault.when === "before") {
      req.resume();
      if (fault.kind === "drop") await drop();
      else await reply(faultAnswer(fault.status));
      return;
    }
    const answer = await processApi(req, path, query);
    if (fault.kind !== "none") {
      // "after": the request took effect (and was persisted); only the answer is lost.
      if (fault.kind === "drop") await drop();
      else await reply(faultAnswer(fault.status));
      return;
    }
    await reply(answer);
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) {
    if (path.startsWith("/__sandbox/")) {
      await handleAdmin(req, res, path, { store, stats, faults, now }, sendJson);
    } else if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      await serveApi(req, res, path, query);
    } else {
      req.resume();
      sendJson(res, 404, { success: false, errors: [`not found: the API lives under ${API_PREFIX}`] });
    }
  }

  const server = createServer((req, res) => {
    const { path, query } = normalisePath(req.url);
    route(req, res, path, query).catch((error: unknown) => {
      log(`internal error on ${path}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { success: false, errors: ["internal sandbox error"] });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    origin,
    apiUrl: `${origin}${API_PREFIX}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      server.closeAllConnections();
      await closed;
      await store.persist();
    },
  };
}

function faultAnswer(status: 500 | 502 | 503): Answer {
  const text = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" }[status];
  return { status, body: { success: false, errors: [`${text} (sandbox fault injection)`] } };
}
