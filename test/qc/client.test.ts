import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createQuantConnectClient, type ClientOptions } from "../../src/qc/client.js";
import type { ApiRequestEvent } from "../../src/qc/api.js";
import {
  connectionRefused,
  fakeClock,
  hang,
  json,
  scriptedFetch,
  status,
  wireCollaborator,
  type Step,
} from "./scripted-fetch.js";
import { failure } from "./expect-failure.js";

const API = "https://qc.test/api/v2";
const CREDENTIALS = {
  userId: "424242",
  apiToken: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
};
const OWNER = wireCollaborator("mara_lindqvist", 424242, "write", true, true);

function client(steps: readonly Step[], extra: Partial<ClientOptions> = {}) {
  const clock = fakeClock();
  const transport = scriptedFetch(steps);
  const events: ApiRequestEvent[] = [];
  const api = createQuantConnectClient({
    apiUrl: `${API}/`,
    credentials: CREDENTIALS,
    fetch: transport.fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRequest: (event) => events.push(event),
    ...extra,
  });
  return { api, clock, transport, events };
}

const ok =
  (body: Record<string, unknown> = {}): Step =>
  () =>
    json({ success: true, ...body });

describe("request signing", () => {
  it("sends exactly QuantConnect's documented headers, computed independently here", async () => {
    const { api, clock, transport } = client([ok()]);
    await api.authenticate();
    const request = transport.requests[0];
    const timestamp = String(Math.floor(clock.now() / 1000));
    const hash = createHash("sha256").update(`${CREDENTIALS.apiToken}:${timestamp}`).digest("hex");
    expect(request?.url).toBe(`${API}/authenticate`);
    expect(request?.method).toBe("POST");
    expect(request?.headers["timestamp"]).toBe(timestamp);
    expect(request?.headers["authorization"]).toBe(
      `Basic ${Buffer.from(`${CREDENTIALS.userId}:${hash}`).toString("base64")}`,
    );
    expect(request?.headers["content-type"]).toBe("application/json");
  });

  it("signs every attempt afresh with the clock at that attempt", async () => {
    const { api, transport } = client([() => status(503), () => status(502), ok()], {
      retry: { baseDelayMs: 4_000 },
    });
    await api.authenticate();
    const stamps = transport.requests.map((request) => request.headers["timestamp"]);
    expect(new Set(stamps).size).toBe(3);
    for (const request of transport.requests) {
      const hash = createHash("sha256")
        .update(`${CREDENTIALS.apiToken}:${request.headers["timestamp"] ?? ""}`)
        .digest("hex");
      expect(request.headers["authorization"]).toBe(
        `Basic ${Buffer.from(`${CREDENTIALS.userId}:${hash}`).toString("base64")}`,
      );
    }
  });
});

describe("wire format", () => {
  it("create, update and delete send the documented fields (delete both ids, update always write)", async () => {
    const list = ok({ collaborators: [OWNER] });
    const { api, transport } = client([list]);
    await api.createCollaborator(7, "gina_quant", { permission: "read", liveControl: true });
    await api.updateCollaborator(7, "gina_quant", { permission: "read", liveControl: false });
    await api.deleteCollaborator(7, "gina_quant");
    await api.acquireLock(7, "qc-collab");
    expect(transport.requests.map((request) => [request.path, request.body])).toEqual([
      [
        "/projects/collaboration/create",
        {
          projectId: 7,
          collaboratorUserId: "gina_quant",
          collaborationLiveControl: true,
          collaborationWrite: false,
        },
      ],
      [
        "/projects/collaboration/update",
        { projectId: 7, collaboratorUserId: "gina_quant", liveControl: false, write: false },
      ],
      [
        "/projects/collaboration/delete",
        { projectId: 7, collaboratorId: "gina_quant", collaboratorUserId: "gina_quant" },
      ],
      ["/projects/collaboration/lock/acquire", { projectId: 7, codeSourceId: "qc-collab" }],
    ]);
  });

  it("maps wire collaborators and projects to the model", async () => {
    const { api } = client([
      ok({ collaborators: [OWNER, { ...wireCollaborator("carol_dev", 5, "read", false), uid: null }] }),
      ok({ projects: [{ projectId: 1, name: "Alpha", extra: true }], versions: [] }),
    ]);
    expect(await api.readCollaborators(1)).toEqual([
      {
        publicId: "mara_lindqvist",
        uid: 424242,
        name: "mara lindqvist",
        permission: "write",
        liveControl: true,
        owner: true,
      },
      {
        publicId: "carol_dev",
        uid: null,
        name: "carol dev",
        permission: "read",
        liveControl: false,
        owner: false,
      },
    ]);
    expect(await api.listProjects()).toEqual([{ projectId: 1, name: "Alpha" }]);
  });

  it("refuses a collaborator with an unknown permission instead of guessing", async () => {
    const { api } = client([ok({ collaborators: [{ ...OWNER, permission: "admin" }] })]);
    const error = await failure(api.readCollaborators(1));
    expect(error.code).toBe("E_API");
    expect(error.message).toContain('unknown permission "admin"');
  });
});

describe("retry policy in the client", () => {
  it.each([500, 502, 503, 504, 429])("retries HTTP %i until it succeeds", async (code) => {
    const { api, transport } = client([() => status(code), () => status(code), ok()]);
    await api.authenticate();
    expect(transport.requests).toHaveLength(3);
  });

  it.each([400, 403, 404, 413])("does not retry HTTP %i", async (code) => {
    const { api, transport } = client([() => status(code, {}, "nope")]);
    const error = await failure(api.authenticate());
    expect(error.code).toBe("E_API");
    expect(error.message).toContain(`HTTP ${code}`);
    expect(transport.requests).toHaveLength(1);
  });

  it("never retries 401 and says E_AUTH with the clock in the hint", async () => {
    const { api, clock, transport } = client([() => status(401, { "www-authenticate": "Basic" })]);
    const error = await failure(api.authenticate());
    expect(transport.requests).toHaveLength(1);
    expect(error.code).toBe("E_AUTH");
    expect(error.hint).toContain("7200 s");
    expect(error.hint).toContain(new Date(clock.now()).toISOString());
  });

  it("treats a 200 'Hash doesn't match' / 'UserID not valid' body as E_AUTH, not retried", async () => {
    for (const message of [
      "Hash doesn't match. UID: 1 Hash: x Timestamp: ''",
      "UserID not valid (None) REF #m2sc",
    ]) {
      const { api, transport } = client([() => json({ success: false, errors: [message] })]);
      const error = await failure(api.listProjects());
      expect(error.code).toBe("E_AUTH");
      expect(transport.requests).toHaveLength(1);
    }
  });

  it("never retries success:false and carries the API's messages, endpoint and project", async () => {
    const { api, transport } = client([
      () => json({ success: false, errors: ["Project not found", "REF #1"] }),
    ]);
    const error = await failure(api.readCollaborators(99));
    expect(transport.requests).toHaveLength(1);
    expect(error.code).toBe("E_API");
    expect(error.message).toContain("/projects/collaboration/read (project 99)");
    expect(error.message).toContain("Project not found");
    expect(error.details).toEqual(["Project not found", "REF #1"]);
  });

  it("stops after maxAttempts (default 6) and says how often it tried", async () => {
    const always503 = client([() => status(503)]);
    const error = await failure(always503.api.authenticate());
    expect(always503.transport.requests).toHaveLength(6);
    expect(error.message).toContain("HTTP 503");
    expect(error.details.at(-1)).toMatch(/^gave up after 6 attempts in /);

    const three = client([() => status(503)], { retry: { maxAttempts: 3 } });
    await failure(three.api.authenticate());
    expect(three.transport.requests).toHaveLength(3);
  });

  it("does not count 429 against maxAttempts: a busy API is waited out, bounded by the total-time cap", async () => {
    const rateLimited: Step = () => status(429, { "retry-after": "1" });
    const busy = client([...Array.from({ length: 10 }, () => rateLimited), ok()]);
    await busy.api.authenticate();
    expect(busy.transport.requests).toHaveLength(11);

    // Waits of 10 s under a 60 s budget: six waits fit, the seventh failure gives up.
    const forever = client([() => status(429, { "retry-after": "10" })], { retry: { maxTotalMs: 60_000 } });
    const error = await failure(forever.api.authenticate());
    expect(error.message).toContain("HTTP 429");
    expect(forever.transport.requests).toHaveLength(7);

    // 5xx answers still use up attempts when 429s are mixed in: three 503s end it, the 429s are free.
    const fail503: Step = () => status(503);
    const mixed = client([rateLimited, fail503, rateLimited, fail503, fail503], {
      retry: { maxAttempts: 3 },
    });
    await failure(mixed.api.authenticate());
    expect(mixed.transport.requests).toHaveLength(5);
  });

  it("honours Retry-After in seconds and as an HTTP date, and caps it", async () => {
    const seconds = client([() => status(429, { "retry-after": "7" }), ok()]);
    await seconds.api.authenticate();
    expect(seconds.clock.delays).toEqual([7_000]);

    const clock = fakeClock();
    const at = new Date(clock.now() + 12_000).toUTCString();
    const dated = client([() => status(429, { "retry-after": at }), ok()], {
      now: clock.now,
      sleep: clock.sleep,
    });
    await dated.api.authenticate();
    expect(clock.delays).toEqual([12_000]);

    const huge = client([() => status(429, { "retry-after": "86400" }), ok()]);
    await huge.api.authenticate();
    expect(huge.clock.delays).toEqual([60_000]);
  });

  it("backs off exponentially with jitter inside [step/2, step]", async () => {
    for (const random of [0, 0.37, 0.999999]) {
      const run = client([() => status(500)], {
        random: () => random,
        retry: { maxAttempts: 6, baseDelayMs: 1_000 },
      });
      await failure(run.api.authenticate());
      const steps = [1_000, 2_000, 4_000, 8_000, 16_000];
      expect(run.clock.delays).toHaveLength(5);
      run.clock.delays.forEach((delay, index) => {
        const step = steps[index] ?? 0;
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      });
    }
    const low = client([() => status(500)], { random: () => 0 });
    await failure(low.api.authenticate());
    expect(low.clock.delays).toEqual([250, 500, 1_000, 2_000, 4_000]);
  });

  it("caps each wait at maxDelayMs", async () => {
    const run = client([() => status(500)], {
      random: () => 1,
      retry: { baseDelayMs: 10_000, maxDelayMs: 15_000 },
    });
    await failure(run.api.authenticate());
    expect(Math.max(...run.clock.delays)).toBe(15_000);
  });

  it("does not start a retry that would end past the total-time cap", async () => {
    const run = client([() => status(503)], {
      random: () => 1,
      retry: { maxAttempts: 10, baseDelayMs: 1_000, maxTotalMs: 3_500 },
    });
    const error = await failure(run.api.authenticate());
    // waits 1 s and 2 s fit (3 s); the next wait of 4 s would end at 7 s > 3.5 s.
    expect(run.clock.delays).toEqual([1_000, 2_000]);
    expect(run.transport.requests).toHaveLength(3);
    expect(error.details.at(-1)).toBe("gave up after 3 attempts in 3 s");
  });

  it("counts time spent waiting for answers against the total cap", async () => {
    const clock = fakeClock();
    const slow: Step = () => {
      clock.advance(10_000);
      return status(503);
    };
    const run = client([slow], { now: clock.now, sleep: clock.sleep, retry: { maxTotalMs: 15_000 } });
    await failure(run.api.authenticate());
    expect(run.transport.requests).toHaveLength(2);
  });

  it("turns a request that outlives the timeout into E_TIMEOUT, retried like a network error", async () => {
    const run = client([hang], { timeoutMs: 20, retry: { maxAttempts: 2 } });
    const error = await failure(run.api.authenticate());
    expect(error.code).toBe("E_TIMEOUT");
    expect(error.message).toContain("within 20 ms");
    expect(run.transport.requests).toHaveLength(2);
    expect(run.events.map((event) => event.status)).toEqual(["timeout", "timeout"]);
  });

  it("reports network errors as E_NETWORK with the low-level reason", async () => {
    const run = client([connectionRefused], { retry: { maxAttempts: 2 } });
    const error = await failure(run.api.listProjects());
    expect(error.code).toBe("E_NETWORK");
    expect(error.message).toContain("ECONNREFUSED");
    expect(run.transport.requests).toHaveLength(2);
  });

  it("emits one event per exchange with status, success and attempt", async () => {
    const run = client([() => status(503), () => json({ success: false, errors: ["no"] })]);
    await failure(run.api.listProjects());
    expect(
      run.events.map(({ endpoint, status: code, success, attempt }) => ({
        endpoint,
        code,
        success,
        attempt,
      })),
    ).toEqual([
      { endpoint: "projectsRead", code: 503, success: undefined, attempt: 1 },
      { endpoint: "projectsRead", code: 200, success: false, attempt: 2 },
    ]);
  });
});

describe("the lock", () => {
  it("says E_LOCK with the API's message when someone else holds it", async () => {
    const message = "Project 7 is locked by user 100002 (codeSourceId 'laptop') until 12:05";
    const run = client([() => json({ success: false, errors: [message] })]);
    const error = await failure(run.api.acquireLock(7, "qc-collab"));
    expect(error.code).toBe("E_LOCK");
    expect(error.message).toContain(message);
    expect(run.transport.requests).toHaveLength(1);
  });

  it("retries acquire after an unknown outcome (same holder re-acquires freely) and accepts an empty body", async () => {
    const run = client([() => status(502), () => status(200, {}, "")]);
    await run.api.acquireLock(7, "qc-collab");
    expect(run.transport.requests).toHaveLength(2);
  });
});
