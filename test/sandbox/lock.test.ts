import { afterEach, describe, expect, it } from "vitest";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import type { AdminState } from "../../src/sandbox/admin.js";
import { adminGet, call, credentialsOf, exampleSeed, fakeClock } from "./sandbox-client.js";

const seed = exampleSeed();
const mara = credentialsOf(seed, "mara_lindqvist");
const alice = credentialsOf(seed, "alice_q"); // write on 21436587
const bob = credentialsOf(seed, "bob_trader"); // read on 21436587
const MOMENTUM = 21436587;
let sandbox: RunningSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: { strictLock?: boolean; lockTtlSeconds?: number } = {}) {
  const clock = fakeClock();
  const running = await startSandboxServer({ seed, now: clock.now, ...options });
  sandbox = running;
  const post = (path: string, who: typeof mara, json: object) =>
    call(running.apiUrl, path, who, { nowMs: clock.now(), json });
  const lock = (who: typeof mara, codeSourceId: string | undefined, projectId = MOMENTUM) =>
    post("/projects/collaboration/lock/acquire", who, { projectId, codeSourceId });
  return { clock, post, lock, running };
}

describe("/projects/collaboration/lock/acquire", () => {
  it("grants the lock, lets the same holder re-acquire, refuses another holder naming it", async () => {
    const { lock } = await start();
    expect((await lock(mara, "qc-collab")).body).toEqual({ success: true });
    expect((await lock(mara, "qc-collab")).body).toEqual({ success: true });
    const other = await lock(alice, "MCP Server");
    expect(other.status).toBe(200);
    expect(other.body).toEqual({
      success: false,
      errors: [
        expect.stringMatching(
          /^Project 21436587 is locked by mara_lindqvist \(codeSourceId "qc-collab"\) until 20/,
        ),
      ],
    });
    const sameUserOtherSource = await lock(mara, "cli");
    expect(sameUserOtherSource.body["success"]).toBe(false);
  });

  it("expires after the TTL; re-acquiring renews it", async () => {
    const { lock, clock } = await start({ lockTtlSeconds: 60 });
    expect((await lock(mara, "qc-collab")).body["success"]).toBe(true);
    clock.advance(50_000);
    expect((await lock(mara, "qc-collab")).body["success"]).toBe(true); // renewed until t=110 s
    clock.advance(50_000);
    expect((await lock(alice, "MCP Server")).body["success"]).toBe(false);
    clock.advance(11_000);
    expect((await lock(alice, "MCP Server")).body).toEqual({ success: true });
    expect((await lock(mara, "qc-collab")).body["success"]).toBe(false);
  });

  it("shows locks in the admin state, and only unexpired ones", async () => {
    const { lock, clock, running } = await start({ lockTtlSeconds: 10 });
    await lock(mara, "qc-collab");
    const state = await adminGet<AdminState>(running.origin, "/__sandbox/state");
    expect(state.locks).toEqual([
      {
        projectId: MOMENTUM,
        uid: 100001,
        publicId: "mara_lindqvist",
        codeSourceId: "qc-collab",
        acquiredAt: new Date(clock.now()).toISOString(),
        expiresAt: new Date(clock.now() + 10_000).toISOString(),
      },
    ]);
    clock.advance(10_000);
    expect((await adminGet<AdminState>(running.origin, "/__sandbox/state")).locks).toEqual([]);
  });

  it("refuses missing codeSourceId, read-only collaborators, strangers, unknown projects", async () => {
    const { lock } = await start();
    expect((await lock(mara, undefined)).body).toEqual({
      success: false,
      errors: [expect.stringMatching(/^codeSourceId is required/)],
    });
    expect((await lock(bob, "cli")).body).toEqual({
      success: false,
      errors: ["You need write permission on project 21436587 to lock it"],
    });
    expect((await lock(credentialsOf(seed, "jun_intern"), "cli")).body).toEqual({
      success: false,
      errors: ["You do not have access to project 21436587"],
    });
    expect((await lock(mara, "cli", 42)).body).toEqual({ success: false, errors: ["Project 42 not found"] });
  });

  it("a write tagged with another codeSourceId is refused while the lock is held; untagged writes pass", async () => {
    const { lock, post } = await start();
    await lock(alice, "MCP Server");
    const body = { projectId: MOMENTUM, collaboratorUserId: "bob_trader", liveControl: false, write: true };
    const tagged = await post("/projects/collaboration/update", mara, { ...body, codeSourceId: "qc-collab" });
    expect(tagged.body).toEqual({
      success: false,
      errors: [expect.stringMatching(/^Project 21436587 is locked by alice_q/)],
    });
    const untagged = await post("/projects/collaboration/update", mara, body);
    expect(untagged.body["success"]).toBe(true);
  });
});

describe("--strict-lock", () => {
  const update = { projectId: MOMENTUM, collaboratorUserId: "bob_trader", liveControl: false, write: true };

  it("requires the owner to hold the lock before changing a project that has collaborators", async () => {
    const { lock, post } = await start({ strictLock: true });
    const refused = await post("/projects/collaboration/update", mara, update);
    expect(refused.body).toEqual({
      success: false,
      errors: [
        "Project 21436587 has collaborators: acquire the project lock (/projects/collaboration/lock/acquire) before changing them",
      ],
    });
    expect((await lock(mara, "qc-collab")).body["success"]).toBe(true);
    expect((await post("/projects/collaboration/update", mara, update)).body["success"]).toBe(true);
    expect(
      (await post("/projects/collaboration/update", mara, { ...update, codeSourceId: "other" })).body[
        "success"
      ],
    ).toBe(false);
  });

  it("refuses the owner while someone else holds the lock, and lets the owner in after expiry", async () => {
    const { lock, post, clock } = await start({ strictLock: true, lockTtlSeconds: 30 });
    await lock(alice, "MCP Server");
    const refused = await post("/projects/collaboration/update", mara, update);
    expect(refused.body["errors"]).toEqual([expect.stringMatching(/locked by alice_q/)]);
    clock.advance(31_000);
    await lock(mara, "qc-collab");
    expect((await post("/projects/collaboration/update", mara, update)).body["success"]).toBe(true);
  });

  it("does not require a lock on a project without collaborators", async () => {
    const { post } = await start({ strictLock: true });
    const seedNoCollaborators = await post("/projects/collaboration/delete", mara, {
      projectId: 21436591,
      collaboratorId: "hiro_exec",
    });
    expect(seedNoCollaborators.body["success"]).toBe(false); // 21436591 has hiro: lock needed
    const empty = {
      ...seed,
      projects: [{ projectId: 5, name: "Solo", ownerUid: 100001, collaborators: [] }],
    };
    const solo = await startSandboxServer({ seed: empty, strictLock: true });
    try {
      const created = await call(solo.apiUrl, "/projects/collaboration/create", mara, {
        json: {
          projectId: 5,
          collaboratorUserId: "alice_q",
          collaborationLiveControl: false,
          collaborationWrite: false,
        },
      });
      expect(created.body["success"]).toBe(true);
    } finally {
      await solo.close();
    }
  });
});
