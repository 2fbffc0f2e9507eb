import { afterEach, describe, expect, it } from "vitest";
import type { AdminState } from "../../src/sandbox/admin.js";
import type { StatsSnapshot } from "../../src/sandbox/request-stats.js";
import { startSandboxServer, type RunningSandbox, type SandboxOptions } from "../../src/sandbox/server.js";
import { adminGet, call, credentialsOf, exampleSeed, fakeClock } from "./sandbox-client.js";

const seed = exampleSeed();
const mara = credentialsOf(seed, "mara_lindqvist");
const running: RunningSandbox[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: Omit<SandboxOptions, "seed"> = {}) {
  const sandbox = await startSandboxServer({ seed, ...options });
  running.push(sandbox);
  return sandbox;
}

/** A status code, or "dropped" when the connection closed without an answer. */
async function outcome(sandbox: RunningSandbox, path: string, json?: object): Promise<number | "dropped"> {
  try {
    return (await call(sandbox.apiUrl, path, mara, json === undefined ? {} : { json })).status;
  } catch {
    return "dropped";
  }
}

async function sequence(sandbox: RunningSandbox, count: number) {
  const outcomes: (number | "dropped")[] = [];
  for (let i = 0; i < count; i += 1) outcomes.push(await outcome(sandbox, "/authenticate"));
  return outcomes;
}

describe("fault injection", () => {
  it("replays the same faults under the same --random-seed", async () => {
    const a = await sequence(await start({ failRate: 0.5, randomSeed: 42 }), 24);
    const b = await sequence(await start({ failRate: 0.5, randomSeed: 42 }), 24);
    const c = await sequence(await start({ failRate: 0.5, randomSeed: 7 }), 24);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(a).toContain(200);
    expect(a.some((o) => o === 500 || o === 502 || o === 503)).toBe(true);
    expect(a).toContain("dropped");
  });

  it("fails some writes after applying them, so clients must handle unknown outcomes", async () => {
    const sandbox = await start({ failRate: 1, randomSeed: 3 });
    const users = [
      "dave_ops",
      "erin_risk",
      "farid_ml",
      "gina_quant",
      "ivan_data",
      "jun_intern",
      "kate_audit",
      "leo_contractor",
    ];
    const outcomes = [];
    for (const user of users) {
      outcomes.push(
        await outcome(sandbox, "/projects/collaboration/create", {
          projectId: 21436591,
          collaboratorUserId: user,
          collaborationLiveControl: false,
          collaborationWrite: false,
        }),
      );
    }
    expect(outcomes.every((o) => o !== 200)).toBe(true);
    const state = await adminGet<AdminState>(sandbox.origin, "/__sandbox/state");
    const applied = state.projects.find((p) => p.projectId === 21436591)?.collaborators.length ?? 0;
    expect(applied - 1).toBeGreaterThan(0); // some writes took effect although the client saw a failure
    expect(applied - 1).toBeLessThan(users.length); // and some were refused before processing
    const stats = await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats");
    expect(stats.total).toBe(users.length);
    const counted = stats.byEndpoint["/projects/collaboration/create"] ?? {};
    expect(Object.values(counted).reduce((sum, n) => sum + n, 0)).toBe(users.length);
    expect(counted["200"]).toBeUndefined();
  });

  it("delays every answer by --latency", async () => {
    const sandbox = await start({ latencyMs: 120 });
    const started = performance.now();
    expect(await outcome(sandbox, "/authenticate")).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("answers 429 with Retry-After beyond --rate-limit requests per second", async () => {
    const clock = fakeClock();
    const sandbox = await start({ rateLimit: 3, now: clock.now });
    const send = () => call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() });
    for (let i = 0; i < 3; i += 1) expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body).toEqual({ success: false, errors: [expect.stringMatching(/^Too many requests/)] });
    clock.advance(1000);
    expect((await send()).status).toBe(200);
    const stats = await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats");
    expect(stats.byEndpoint["/authenticate"]).toEqual({ "200": 4, "429": 1 });
  });
});

describe("admin endpoints", () => {
  it("GET /__sandbox/state shows users without tokens, projects and locks", async () => {
    const sandbox = await start();
    const response = await fetch(`${sandbox.origin}/__sandbox/state`);
    const text = await response.text();
    for (const user of seed.users) expect(text).not.toContain(user.apiToken);
    const state = JSON.parse(text) as AdminState;
    expect(state.users[0]).toEqual({ uid: 100001, publicId: "mara_lindqvist", name: "Mara Lindqvist" });
    expect(state.projects).toHaveLength(7);
    expect(state.projects[0]).toEqual({
      projectId: 21436587,
      name: "Momentum Alpha",
      ownerUid: 100001,
      collaborators: [
        { publicId: "alice_q", permission: "write", liveControl: true },
        { publicId: "bob_trader", permission: "read", liveControl: false },
        { publicId: "carol_dev", permission: "read", liveControl: false },
      ],
    });
    expect(state.locks).toEqual([]);
  });

  it("GET /__sandbox/stats counts API requests only; resets clear them and the state", async () => {
    const sandbox = await start();
    await call(sandbox.apiUrl, "/authenticate", mara);
    await call(sandbox.apiUrl, "/authenticate", { userId: "1", apiToken: "x" });
    await call(sandbox.apiUrl, "/projects/collaboration/delete", mara, {
      json: { projectId: 21436587, collaboratorId: "bob_trader" },
    });
    await fetch(`${sandbox.origin}/__sandbox/state`);
    expect(await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats")).toEqual({
      total: 3,
      byEndpoint: { "/authenticate": { "200": 1, "401": 1 }, "/projects/collaboration/delete": { "200": 1 } },
    });
    expect((await fetch(`${sandbox.origin}/__sandbox/stats/reset`, { method: "POST" })).status).toBe(200);
    expect(await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats")).toEqual({
      total: 0,
      byEndpoint: {},
    });
    await call(sandbox.apiUrl, "/authenticate", mara);
    const reset = await fetch(`${sandbox.origin}/__sandbox/reset`, { method: "POST" });
    expect(await reset.json()).toEqual({ success: true });
    const state = await adminGet<AdminState>(sandbox.origin, "/__sandbox/state");
    expect(state.projects[0]?.collaborators.map((c) => c.publicId)).toContain("bob_trader");
    expect((await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats")).total).toBe(0);
  });

  it("answers 404 with the list of routes for an unknown admin route", async () => {
    const sandbox = await start();
    const response = await fetch(`${sandbox.origin}/__sandbox/nope`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("GET /__sandbox/state");
  });
});
