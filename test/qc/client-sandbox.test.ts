import { afterEach, describe, expect, it } from "vitest";
import type { Access } from "../../src/model/access.js";
import type { ApiRequestEvent } from "../../src/qc/api.js";
import { createQuantConnectClient, type ClientOptions } from "../../src/qc/client.js";
import type { Credentials } from "../../src/qc/signing.js";
import { defaultSeedPath } from "../../src/sandbox/package-root.js";
import { readSeedFile } from "../../src/sandbox/seed.js";
import { startSandboxServer, type RunningSandbox, type SandboxOptions } from "../../src/sandbox/server.js";
import { fakeClock } from "./scripted-fetch.js";
import { failure } from "./expect-failure.js";
import type { AdminState } from "../../src/sandbox/admin.js";

/** The real client against the real emulator, over HTTP on loopback. */
const seed = readSeedFile(defaultSeedPath());
const MARA = credentialsOf("mara_lindqvist");
const ALICE = credentialsOf("alice_q");
const MOMENTUM = 21436587;
const STAT_ARB = 21436589;

function credentialsOf(publicId: string): Credentials {
  const user = seed.users.find((candidate) => candidate.publicId === publicId);
  if (user === undefined) throw new Error(`seed has no ${publicId}`);
  return { userId: String(user.uid), apiToken: user.apiToken };
}

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

async function sandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const server = await startSandboxServer({ host: "127.0.0.1", port: 0, seed, ...options });
  running.push(server);
  return server;
}

function clientFor(server: RunningSandbox, credentials: Credentials, extra: Partial<ClientOptions> = {}) {
  return createQuantConnectClient({ apiUrl: server.apiUrl, credentials, ...extra });
}

async function adminCollaborators(server: RunningSandbox, projectId: number) {
  const response = await fetch(`${server.origin}/__sandbox/state`);
  const state = (await response.json()) as AdminState;
  return state.projects.find((project) => project.projectId === projectId)?.collaborators ?? [];
}

const READ: Access = { permission: "read", liveControl: false };
const WRITE_LIVE: Access = { permission: "write", liveControl: true };

describe("client against the sandbox over HTTP", () => {
  it("authenticates, lists, reads, creates, updates and deletes", async () => {
    const server = await sandbox();
    const api = clientFor(server, MARA);
    await api.authenticate();

    const projects = await api.listProjects();
    expect(projects.map((project) => project.name)).toContain("Momentum Alpha");

    const before = await api.readCollaborators(MOMENTUM);
    expect(before.find((entry) => entry.owner)).toMatchObject({ publicId: "mara_lindqvist", uid: 100001 });
    expect(before.find((entry) => entry.publicId === "carol_dev")).toMatchObject({
      permission: "read",
      liveControl: false,
    });

    const created = await api.createCollaborator(MOMENTUM, "gina_quant", READ);
    expect(created.find((entry) => entry.publicId === "gina_quant")).toMatchObject({ ...READ, owner: false });

    const updated = await api.updateCollaborator(MOMENTUM, "gina_quant", WRITE_LIVE);
    expect(updated.find((entry) => entry.publicId === "gina_quant")).toMatchObject(WRITE_LIVE);

    // update sends write:false explicitly, so a downgrade really downgrades
    const downgraded = await api.updateCollaborator(MOMENTUM, "gina_quant", READ);
    expect(downgraded.find((entry) => entry.publicId === "gina_quant")).toMatchObject(READ);

    const deleted = await api.deleteCollaborator(MOMENTUM, "gina_quant");
    expect(deleted.map((entry) => entry.publicId)).not.toContain("gina_quant");
    expect(await adminCollaborators(server, MOMENTUM)).toEqual(
      before
        .filter((entry) => !entry.owner)
        .map(({ publicId, permission, liveControl }) => ({ publicId, permission, liveControl })),
    );
  });

  it("reports the sandbox's success:false messages as E_API, without retrying", async () => {
    const server = await sandbox();
    const events: ApiRequestEvent[] = [];
    const api = clientFor(server, MARA, { onRequest: (event) => events.push(event) });
    const error = await failure(api.createCollaborator(MOMENTUM, "alice_q", READ));
    expect(error.code).toBe("E_API");
    expect(error.message).toContain(`/projects/collaboration/create (project ${MOMENTUM})`);
    expect(error.message).toMatch(/alice_q/);
    expect(events).toHaveLength(1);

    const notOwner = await failure(clientFor(server, ALICE).deleteCollaborator(MOMENTUM, "bob_trader"));
    expect(notOwner.code).toBe("E_API");
    expect(notOwner.message).toMatch(/owner/i);
  });

  it("lock: the same holder re-acquires, another codeSourceId gets E_LOCK naming the holder", async () => {
    const server = await sandbox();
    const api = clientFor(server, MARA);
    await api.acquireLock(STAT_ARB, "ci-apply");
    await api.acquireLock(STAT_ARB, "ci-apply");
    const error = await failure(api.acquireLock(STAT_ARB, "laptop"));
    expect(error.code).toBe("E_LOCK");
    expect(error.message).toContain("ci-apply");
    expect(error.message).toContain("mara_lindqvist");
  });

  it.each([401, 200] as const)(
    "a bad token is E_AUTH (sandbox answering auth failures with %i), tried once",
    async (code) => {
      const server = await sandbox({ authFailureStatus: code });
      const events: ApiRequestEvent[] = [];
      const api = clientFor(
        server,
        { userId: MARA.userId, apiToken: "not-the-token" },
        { onRequest: (event) => events.push(event) },
      );
      const error = await failure(api.authenticate());
      expect(error.code).toBe("E_AUTH");
      expect(error.hint).toContain("7200 s");
      expect(events).toHaveLength(1);
    },
  );

  it("a clock more than 7200 s behind is E_AUTH with the local clock in the hint", async () => {
    const server = await sandbox();
    const skewed = Date.now() - 3 * 3600 * 1000;
    const error = await failure(clientFor(server, MARA, { now: () => skewed }).authenticate());
    expect(error.code).toBe("E_AUTH");
    expect(error.hint).toContain(new Date(skewed).toISOString());
  });

  it("survives injected faults (lost answers included) without duplicating any write", async () => {
    const clock = fakeClock(Date.now());
    const server = await sandbox({ failRate: 0.45, randomSeed: 7, now: clock.now });
    const events: ApiRequestEvent[] = [];
    const api = clientFor(server, MARA, {
      now: clock.now,
      sleep: clock.sleep,
      retry: { maxAttempts: 30 },
      onRequest: (event) => events.push(event),
    });
    const users = ["dave_ops", "erin_risk", "gina_quant", "ivan_data", "kate_audit"];
    for (const user of users) await api.createCollaborator(MOMENTUM, user, READ);
    for (const user of users) await api.updateCollaborator(MOMENTUM, user, WRITE_LIVE);
    for (const user of users.slice(0, 3)) await api.deleteCollaborator(MOMENTUM, user);

    const live = await adminCollaborators(server, MOMENTUM);
    expect(live.filter((entry) => users.includes(entry.publicId))).toEqual([
      { publicId: "ivan_data", permission: "write", liveControl: true },
      { publicId: "kate_audit", permission: "write", liveControl: true },
    ]);
    // Faults really happened, including some the client had to read through.
    const failed = events.filter((event) => event.status !== 200);
    expect(failed.length).toBeGreaterThan(3);
    expect(events.some((event) => event.endpoint === "collaborationRead")).toBe(true);
    // A duplicated write would have been refused ("already a collaborator" / "not a collaborator").
    expect(events.filter((event) => event.success === false)).toEqual([]);
  });

  it("waits out the sandbox's 429 Retry-After through the injected sleep", async () => {
    const clock = fakeClock(Date.now());
    const server = await sandbox({ rateLimit: 2, now: clock.now });
    const api = clientFor(server, MARA, { now: clock.now, sleep: clock.sleep });
    for (let index = 0; index < 5; index += 1) await api.readCollaborators(MOMENTUM);
    expect(clock.delays.length).toBeGreaterThan(0);
    expect(clock.delays.every((delay) => delay === 1_000)).toBe(true);
  });
});
