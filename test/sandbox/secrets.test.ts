import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/qc/signing.js";
import { readSeedFile } from "../../src/sandbox/seed.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { call, credentialsOf, exampleSeed, fakeClock } from "./sandbox-client.js";

const seed = exampleSeed();
const clock = fakeClock();
const timestamps = [clock.now(), clock.now() - 8000_000, clock.now() + 900_000];
const logs: string[] = [];
const seen: string[] = [];
let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "qc-collab-secrets-"));
  sandbox = await startSandboxServer({
    seed,
    statePath: join(dir, "state.json"),
    now: clock.now,
    strictLock: true,
    failRate: 0.3,
    randomSeed: 11,
    logger: (line) => logs.push(line),
  });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every secret a request of this test could leak: tokens, and the hashes they were signed with. */
function secrets(): string[] {
  const list: string[] = [];
  for (const user of seed.users) {
    list.push(user.apiToken);
    for (const ms of timestamps) {
      const hash = hashToken(user.apiToken, String(Math.floor(ms / 1000)));
      list.push(hash, Buffer.from(`${user.uid}:${hash}`).toString("base64"));
    }
  }
  list.push(hashToken("wrong-token", String(Math.floor(clock.now() / 1000))));
  return list;
}

async function record(
  path: string,
  credentials: Parameters<typeof call>[2],
  options: Parameters<typeof call>[3],
) {
  try {
    const result = await call(sandbox.apiUrl, path, credentials, options);
    seen.push(result.text, JSON.stringify([...result.headers.entries()]));
  } catch (error) {
    seen.push(String(error));
  }
}

describe("the sandbox never reveals tokens or hashes", () => {
  it("in answers, headers, logs, admin endpoints and error messages", async () => {
    const mara = credentialsOf(seed, "mara_lindqvist");
    const bob = credentialsOf(seed, "bob_trader");
    for (const nowMs of timestamps) {
      await record("/authenticate", mara, { nowMs });
      await record("/authenticate", { userId: mara.userId, apiToken: "wrong-token" }, { nowMs });
      await record("/authenticate", { userId: "4242", apiToken: mara.apiToken }, { nowMs });
    }
    await record("/projects/read", mara, { nowMs: clock.now() });
    await record("/projects/collaboration/read", bob, { nowMs: clock.now(), json: { projectId: 21436587 } });
    await record("/projects/collaboration/create", bob, {
      nowMs: clock.now(),
      json: {
        projectId: 21436587,
        collaboratorUserId: "gina_quant",
        collaborationLiveControl: true,
        collaborationWrite: true,
      },
    });
    await record("/projects/collaboration/update", mara, {
      nowMs: clock.now(),
      json: { projectId: 21436587, collaboratorUserId: "carol_dev", write: true },
    });
    await record("/projects/collaboration/lock/acquire", mara, {
      nowMs: clock.now(),
      form: { projectId: "21436587", codeSourceId: "qc-collab" },
    });
    await record("/projects/collaboration/delete", mara, {
      nowMs: clock.now(),
      query: { projectId: "21436587", collaboratorId: "bob_trader" },
    });
    // A token in the query string (as Lean's authenticated links carry) must not reach the log either.
    await record("/authenticate", undefined, { query: { authorization: mara.apiToken, timestamp: "1" } });
    for (const path of ["/__sandbox/state", "/__sandbox/stats"]) {
      seen.push(await (await fetch(`${sandbox.origin}${path}`)).text());
    }
    // A state file with a syntax error near a token: the message must not quote the file.
    const broken = join(dir, "broken.json");
    writeFileSync(broken, `{"users": [{"apiToken": "${mara.apiToken}" "uid": 1}]}`);
    try {
      readSeedFile(broken);
    } catch (error) {
      seen.push(String(error), JSON.stringify(error));
    }

    expect(logs.length).toBeGreaterThan(10);
    const haystack = [...seen, ...logs].join("\n");
    expect(haystack).toContain("Hash doesn't match"); // the failure paths really ran
    expect(haystack).toContain("not valid JSON");
    for (const secret of secrets()) expect(haystack).not.toContain(secret);
  });
});
