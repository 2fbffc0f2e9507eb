import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminState } from "../../src/sandbox/admin.js";
import type { StatsSnapshot } from "../../src/sandbox/request-stats.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { adminGet } from "./sandbox-client.js";

const EXAMPLE = fileURLToPath(new URL("fixtures/qc_collaborator_example.py", import.meta.url));
const python = spawnSync("python3", ["-c", "import requests"], { encoding: "utf8", timeout: 20_000 });
const pythonReady = python.status === 0;
const skipReason = pythonReady ? "" : " [SKIPPED: python3 with the 'requests' package is not available]";

/** The example's own project and collaborator, so that only the base URL and credentials change. */
const seed = {
  users: [
    {
      uid: 4711,
      publicId: "doc_owner",
      name: "Doc Owner",
      email: "owner@example.com",
      apiToken: "a1".repeat(32),
    },
    {
      uid: 4712,
      publicId: "johnny_walker",
      name: "Johnny Walker",
      email: "johnny@example.com",
      apiToken: "b2".repeat(32),
    },
  ],
  projects: [{ projectId: 12345678, name: "Docs Example", ownerUid: 4711, collaborators: [] }],
};

let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandboxServer({ seed });
  dir = mkdtempSync(join(tmpdir(), "qc-collab-python-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "python3",
      [script],
      { timeout: 30_000, env: { ...process.env, NO_PROXY: "127.0.0.1" } },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe("QuantConnect's own Python example", () => {
  it.skipIf(!pythonReady)(`runs unchanged but for BASE_URL, USER_ID and API_TOKEN${skipReason}`, async () => {
    const original = readFileSync(EXAMPLE, "utf8");
    const patched = original
      .replace("BASE_URL = 'https://www.quantconnect.com/api/v2/'", `BASE_URL = '${sandbox.apiUrl}/'`)
      .replace("USER_ID = 0", "USER_ID = 4711")
      .replace("API_TOKEN = '____'", `API_TOKEN = '${"a1".repeat(32)}'`);
    expect(patched.split("\n").filter((line, i) => line !== original.split("\n")[i])).toHaveLength(3);
    const script = join(dir, "example.py");
    writeFileSync(script, patched);

    const result = await run(script);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("{'success': True}");
    expect(lines[1]).toMatch(/^Project Collaborator Created Successfully: \{'collaborators': \[/);
    expect(lines[2]).toMatch(/^Project Collaborators: \{'collaborators': \[/);
    expect(lines[2]).toContain("'userPermissions': 'write'");
    // The example updates without `write`: the permission granted at creation stays.
    expect(lines[3]).toMatch(/^Project Collaborator Updated Successfully: /);
    expect(lines[3]).toMatch(/'liveControl': True, 'permission': 'write', 'publicId': 'johnny_walker'/);
    expect(lines[4]).toMatch(/^Project Collaborator Deleted Successfully: /);
    expect(lines[4]).not.toContain("johnny_walker");
    expect(lines).toHaveLength(5);

    const state = await adminGet<AdminState>(sandbox.origin, "/__sandbox/state");
    expect(state.projects[0]?.collaborators).toEqual([]);
    const stats = await adminGet<StatsSnapshot>(sandbox.origin, "/__sandbox/stats");
    expect(stats).toEqual({
      total: 5,
      byEndpoint: {
        "/authenticate": { "200": 1 },
        "/projects/collaboration/create": { "200": 1 },
        "/projects/collaboration/read": { "200": 1 },
        "/projects/collaboration/update": { "200": 1 },
        "/projects/collaboration/delete": { "200": 1 },
      },
    });
  });
});
