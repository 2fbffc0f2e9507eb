import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/qc/signing.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { call, credentialsOf, exampleSeed, fakeClock } from "./sandbox-client.js";

const seed = exampleSeed();
const mara = credentialsOf(seed, "mara_lindqvist");
const clock = fakeClock();
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandboxServer({ seed, now: clock.now });
});
afterAll(async () => {
  await sandbox.close();
});

function basic(userId: string, hash: string): string {
  return `Basic ${Buffer.from(`${userId}:${hash}`).toString("base64")}`;
}

async function expect401(result: Awaited<ReturnType<typeof call>>, message: RegExp) {
  expect(result.status).toBe(401);
  expect(result.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  expect(result.body).toEqual({ success: false, errors: [expect.stringMatching(message)] });
  return Promise.resolve();
}

describe("sandbox authentication", () => {
  it("accepts a request signed as QuantConnect documents", async () => {
    const result = await call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ success: true });
  });

  it("answers 401 + WWW-Authenticate when the headers are missing", async () => {
    await expect401(await call(sandbox.apiUrl, "/authenticate", undefined), /Authorization header missing/);
    await expect401(
      await call(sandbox.apiUrl, "/authenticate", mara, {
        nowMs: clock.now(),
        headers: { Timestamp: undefined },
      }),
      /Timestamp header missing/,
    );
  });

  it("answers 401 for a garbled Authorization header", async () => {
    const result = await call(sandbox.apiUrl, "/authenticate", mara, {
      nowMs: clock.now(),
      headers: { Authorization: "Bearer nonsense" },
    });
    await expect401(result, /not valid Basic credentials/);
  });

  it("answers 401 for a wrong hash, without echoing the hash or the token", async () => {
    const timestamp = String(Math.floor(clock.now() / 1000));
    const wrongHash = hashToken("not-the-token", timestamp);
    const result = await call(sandbox.apiUrl, "/authenticate", undefined, {
      headers: { Authorization: basic(mara.userId, wrongHash), Timestamp: timestamp },
    });
    await expect401(result, /^Hash doesn't match\. UID: 100001/);
    expect(result.text).not.toContain(wrongHash);
    expect(result.text).not.toContain(mara.apiToken);
    expect(result.text).not.toContain(hashToken(mara.apiToken, timestamp));
  });

  it("answers 401 for an unknown user", async () => {
    const result = await call(
      sandbox.apiUrl,
      "/authenticate",
      { userId: "999", apiToken: "x" },
      { nowMs: clock.now() },
    );
    await expect401(result, /^UserID not valid \(999\)/);
  });

  it("answers 401 for a timestamp older than 7200 s, accepts 7199 s", async () => {
    const ok = await call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() - 7199_000 });
    expect(ok.status).toBe(200);
    const stale = await call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() - 7202_000 });
    await expect401(stale, /too old/);
  });

  it("tolerates 600 s of clock skew ahead, refuses more and millisecond timestamps", async () => {
    expect((await call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() + 590_000 })).status).toBe(
      200,
    );
    await expect401(
      await call(sandbox.apiUrl, "/authenticate", mara, { nowMs: clock.now() + 700_000 }),
      /in the future/,
    );
    const ms = String(clock.now());
    const result = await call(sandbox.apiUrl, "/authenticate", undefined, {
      headers: { Authorization: basic(mara.userId, hashToken(mara.apiToken, ms)), Timestamp: ms },
    });
    await expect401(result, /in the future/);
  });

  it("can answer auth failures as HTTP 200 {success:false} (observed variant)", async () => {
    const other = await startSandboxServer({ seed, now: clock.now, authFailureStatus: 200 });
    try {
      const result = await call(
        other.apiUrl,
        "/authenticate",
        { userId: mara.userId, apiToken: "wrong" },
        {
          nowMs: clock.now(),
        },
      );
      expect(result.status).toBe(200);
      expect(result.body["success"]).toBe(false);
      expect(result.headers.get("www-authenticate")).not.toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe("sandbox request encodings", () => {
  const read = { projectId: "21436588" };

  it("accepts POST JSON, POST form, GET query, and a doubled slash", async () => {
    const json = await call(sandbox.apiUrl, "/projects/collaboration/read", mara, {
      nowMs: clock.now(),
      json: { projectId: 21436588 },
    });
    const form = await call(sandbox.apiUrl, "/projects/collaboration/read", mara, {
      nowMs: clock.now(),
      form: read,
    });
    const get = await call(sandbox.apiUrl, "/projects/collaboration/read", mara, {
      nowMs: clock.now(),
      query: read,
    });
    const doubled = await call(sandbox.apiUrl, "//projects//collaboration/read", mara, {
      nowMs: clock.now(),
      json: { projectId: 21436588 },
    });
    for (const result of [json, form, get, doubled]) {
      expect(result.status).toBe(200);
      expect(result.body["success"]).toBe(true);
      expect(result.body["collaborators"]).toHaveLength(3);
    }
  });

  it("accepts POST with no body at all (list every project)", async () => {
    const result = await call(sandbox.apiUrl, "/projects/read", mara, { nowMs: clock.now() });
    expect(result.status).toBe(200);
    expect((result.body["projects"] as unknown[]).length).toBe(7);
  });

  it("reads form booleans as true/false", async () => {
    const result = await call(sandbox.apiUrl, "/projects/collaboration/create", mara, {
      nowMs: clock.now(),
      form: {
        projectId: "21436592",
        collaboratorUserId: "kate_audit",
        collaborationLiveControl: "false",
        collaborationWrite: "true",
      },
    });
    expect(result.body["success"]).toBe(true);
    const kate = (result.body["collaborators"] as { publicId: string; permission: string }[]).find(
      (c) => c.publicId === "kate_audit",
    );
    expect(kate?.permission).toBe("write");
  });

  it("answers 400 for a broken JSON body, 404 for an unknown endpoint, 405 for PUT", async () => {
    const broken = await call(sandbox.apiUrl, "/projects/read", mara, {
      nowMs: clock.now(),
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.status).toBe(200); // an empty JSON body is "no body"
    const response = await fetch(`${sandbox.apiUrl}/projects/read`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ success: false, errors: ["request body is not valid JSON"] });
    const unknown = await call(sandbox.apiUrl, "/projects/frobnicate", mara, { nowMs: clock.now() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      success: false,
      errors: ["unknown endpoint /api/v2/projects/frobnicate"],
    });
    const put = await fetch(`${sandbox.apiUrl}/authenticate`, { method: "PUT" });
    expect(put.status).toBe(405);
  });
});
