/**
 * Test seam: a fetch that answers from a script, plus a fake clock whose sleep advances time.
 * The client's own `fetch`, `now`, `sleep` and `random` options are the seam; nothing else is faked.
 */
export interface RecordedRequest {
  readonly url: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** One scripted answer: a Response, or a thrown error (a network failure). */
export type Step = (
  request: RecordedRequest,
  signal: AbortSignal | undefined,
) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function status(code: number, headers: Record<string, string> = {}, body = ""): Response {
  return new Response(body, { status: code, headers });
}

/** What undici throws when the connection is refused: TypeError("fetch failed") with a coded cause. */
export function connectionRefused(): never {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  throw new TypeError("fetch failed", { cause });
}

/** The connection dropped after the request went out. */
export function connectionReset(): never {
  const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
  throw new TypeError("fetch failed", { cause });
}

/** Never answers; rejects when the client's timeout aborts the request. */
export function hang(_request: RecordedRequest, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener("abort", () => {
      reject(new DOMException("This operation was aborted", "AbortError"));
    });
  });
}

export interface ScriptedFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Requests per API path, e.g. count("/projects/collaboration/create"). */
  count(path: string): number;
}

/**
 * Answers each request with `route(request, index)` when given, else with the next step of `steps`
 * (the last step repeats).
 */
export function scriptedFetch(
  steps: readonly Step[],
  options: { apiRoot?: string; route?: (request: RecordedRequest) => Step | undefined } = {},
): ScriptedFetch {
  const apiRoot = options.apiRoot ?? "https://qc.test/api/v2";
  const requests: RecordedRequest[] = [];
  let next = 0;
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    await Promise.resolve();
    const url = input instanceof Request ? input.url : String(input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const rawBody = typeof init?.body === "string" ? init.body : "";
    const request: RecordedRequest = {
      url,
      path: url.startsWith(apiRoot) ? url.slice(apiRoot.length) : url,
      method: init?.method ?? "GET",
      headers,
      body: rawBody === "" ? {} : (JSON.parse(rawBody) as Record<string, unknown>),
    };
    requests.push(request);
    const routed = options.route?.(request);
    const step = routed ?? steps[Math.min(next, steps.length - 1)];
    if (routed === undefined) next += 1;
    if (step === undefined) throw new Error("scripted fetch has no steps");
    return step(request, init?.signal ?? undefined);
  };
  return {
    fetch: fetchImpl,
    requests,
    count: (path) => requests.filter((request) => request.path === path).length,
  };
}

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  advance: (ms: number) => void;
  readonly delays: number[];
}

export function fakeClock(startMs = 1_750_000_000_000): FakeClock {
  let current = startMs;
  const delays: number[] = [];
  return {
    now: () => current,
    sleep: (ms) => {
      delays.push(ms);
      current += ms;
      return Promise.resolve();
    },
    advance: (ms) => {
      current += ms;
    },
    delays,
  };
}

/** A wire collaborator as QuantConnect sends it. */
export function wireCollaborator(
  publicId: string,
  uid: number,
  permission: "read" | "write",
  liveControl: boolean,
  owner = false,
): Record<string, unknown> {
  return {
    uid,
    liveControl,
    permission,
    publicId,
    profileImage: `https://cdn.quantconnect.com/web/i/users/profile/${publicId}.jpeg`,
    email: `${publicId}@example.test`,
    name: publicId.replace(/_/g, " "),
    bio: "",
    owner,
  };
}
