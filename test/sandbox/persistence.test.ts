import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isQcCollabError } from "../../src/model/errors.js";
import { startEmbeddedSandbox } from "../../src/sandbox/embedded.js";
import { parseSeedText, readSeedFile, validateSeed } from "../../src/sandbox/seed.js";
import { startSandboxServer } from "../../src/sandbox/server.js";
import type { AdminState } from "../../src/sandbox/admin.js";
import { adminGet, call, credentialsOf, exampleSeed, fakeClock } from "./sandbox-client.js";

const seed = exampleSeed();
const mara = credentialsOf(seed, "mara_lindqvist");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "qc-collab-sandbox-test-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const create = {
  projectId: 21436591,
  collaboratorUserId: "ivan_data",
  collaborationLiveControl: false,
  collaborationWrite: false,
};

describe("persisted state", () => {
  it("creates the state file from the seed and keeps changes and locks across a restart", async () => {
    const statePath = join(dir, "nested", "state.json");
    const clock = fakeClock();
    const first = await startSandboxServer({ seed, statePath, now: clock.now });
    expect(existsSync(statePath)).toBe(true);
    await call(first.apiUrl, "/projects/collaboration/create", mara, { nowMs: clock.now(), json: create });
    await call(first.apiUrl, "/projects/collaboration/lock/acquire", mara, {
      nowMs: clock.now(),
      json: { projectId: 21436591, codeSourceId: "qc-collab" },
    });
    await first.close();
    const onDisk = readSeedFile(statePath);
    expect(
      onDisk.projects.find((p) => p.projectId === 21436591)?.collaborators.map((c) => c.publicId),
    ).toEqual(["hiro_exec", "ivan_data"]);
    expect(readdirSync(join(dir, "nested"))).toEqual(["state.json"]); // no temp files left behind

    const second = await startSandboxServer({ seed, statePath, now: clock.now });
    try {
      const read = await call(second.apiUrl, "/projects/collaboration/read", mara, {
        nowMs: clock.now(),
        json: { projectId: 21436591 },
      });
      expect((read.body["collaborators"] as { publicId: string }[]).map((c) => c.publicId)).toContain(
        "ivan_data",
      );
      const state = await adminGet<AdminState>(second.origin, "/__sandbox/state");
      expect(state.locks.map((l) => l.codeSourceId)).toEqual(["qc-collab"]);
      // reset goes back to the seed, on disk too
      await fetch(`${second.origin}/__sandbox/reset`, { method: "POST" });
      expect(
        readSeedFile(statePath).projects.find((p) => p.projectId === 21436591)?.collaborators,
      ).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("persists each write before answering (the file already holds the change)", async () => {
    const statePath = join(dir, "state.json");
    const sandbox = await startSandboxServer({ seed, statePath });
    try {
      await call(sandbox.apiUrl, "/projects/collaboration/create", mara, { json: create });
      const text = readFileSync(statePath, "utf8");
      expect(JSON.parse(text)).toMatchObject({ users: expect.any(Array) as unknown });
      expect(text).toContain('"ivan_data"');
      const writes = Array.from({ length: 5 }, (_, i) =>
        call(sandbox.apiUrl, "/projects/collaboration/update", mara, {
          json: { projectId: 21436591, collaboratorUserId: "ivan_data", liveControl: i % 2 === 0 },
        }),
      );
      await Promise.all(writes);
      const last = readSeedFile(statePath).projects.find((p) => p.projectId === 21436591)?.collaborators[1];
      const admin = await adminGet<AdminState>(sandbox.origin, "/__sandbox/state");
      expect(admin.projects.find((p) => p.projectId === 21436591)?.collaborators[1]).toEqual(last);
    } finally {
      await sandbox.close();
    }
  });
});

describe("seed validation", () => {
  it("reports JSON syntax errors with file:line:col", () => {
    const error = (() => {
      try {
        parseSeedText('{\n  "users": [,]\n}', "seed.json");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isQcCollabError(error) && error.code).toBe("E_CONFIG_SYNTAX");
    expect((error as Error).message).toMatch(/^seed\.json:2:13: not valid JSON/);
  });

  it("lists every structural and referential problem", () => {
    const broken = {
      users: [
        { uid: 1, publicId: "a", name: "A", email: "a@x", apiToken: "t" },
        { uid: 1, publicId: "a" },
      ],
      projects: [
        {
          projectId: 7,
          name: "P",
          ownerUid: 1,
          collaborators: [{ publicId: "a", permission: "admin", liveControl: 1 }],
        },
        { projectId: 7, name: "Q", ownerUid: 9, colaborators: [] },
      ],
    };
    try {
      validateSeed(broken, "broken.json");
      expect.unreachable();
    } catch (error) {
      expect(isQcCollabError(error) && error.code).toBe("E_CONFIG_SCHEMA");
      const details = isQcCollabError(error) ? error.details.join("\n") : "";
      expect(details).toContain("users[1].uid 1 is used twice");
      expect(details).toContain('users[1].publicId "a" is used twice');
      expect(details).toContain('projects[0].collaborators[0].permission must be "read" or "write"');
      expect(details).toContain('"a" owns the project and cannot be listed');
      expect(details).toContain("projects[1].ownerUid 9 is not a user of the seed");
      expect(details).toContain('projects[1]: unknown key "colaborators"');
      expect(details).toContain("projects[1].projectId 7 is used twice");
    }
  });

  it("accepts the repository's demo organisation", () => {
    expect(validateSeed(seed).users).toHaveLength(13);
  });

  it("refuses to start from a broken state file, naming it", async () => {
    const statePath = join(dir, "state.json");
    writeFileSync(statePath, '{"users": []}');
    await expect(startSandboxServer({ seed, statePath })).rejects.toThrow(
      /state\.json is not a valid sandbox seed/,
    );
  });
});

describe("startEmbeddedSandbox", () => {
  it("serves the demo organisation with the first user's credentials and persists in .qc-collab/", async () => {
    const embedded = await startEmbeddedSandbox({ cwd: dir });
    try {
      expect(embedded.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
      expect(embedded.credentials.userId).toBe("100001");
      const auth = await call(embedded.apiUrl, "/authenticate", embedded.credentials);
      expect(auth.body).toEqual({ success: true });
      await call(embedded.apiUrl, "/projects/collaboration/create", embedded.credentials, { json: create });
    } finally {
      await embedded.close();
    }
    const statePath = join(dir, ".qc-collab", "sandbox-state.json");
    expect(existsSync(statePath)).toBe(true);
    const again = await startEmbeddedSandbox({ cwd: dir });
    try {
      const read = await call(again.apiUrl, "/projects/collaboration/read", again.credentials, {
        json: { projectId: 21436591 },
      });
      expect((read.body["collaborators"] as { publicId: string }[]).map((c) => c.publicId)).toContain(
        "ivan_data",
      );
    } finally {
      await again.close();
    }
  });
});
