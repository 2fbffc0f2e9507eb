import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { startSandboxProcess } from "../helpers/sandbox-process.js";
import { call, exampleSeed } from "./sandbox-client.js";

// Runs the BUILT CLI: `npm test` builds first (npx tsc -p tsconfig.build.json).
const seed = exampleSeed();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "qc-collab-sandbox-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("qc-collab sandbox (process)", () => {
  it("prints the listening line first, serves the API, logs without secrets, exits 0 on SIGTERM", async () => {
    const sandbox = await startSandboxProcess();
    let exit;
    try {
      const { stdout } = sandbox.output();
      const lines = stdout.split("\n");
      expect(lines[0]).toBe(`qc-collab sandbox listening on ${sandbox.apiUrl}`);
      expect(sandbox.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
      expect(stdout).toContain("QC_USER_ID=100001");
      expect(stdout).toContain("sandbox-only demo token");

      const env = sandbox.env();
      expect(env).toEqual({
        QC_USER_ID: "100001",
        QC_API_TOKEN: seed.users[0]?.apiToken,
        QC_API_URL: sandbox.apiUrl,
      });
      const auth = await call(sandbox.apiUrl, "/authenticate", sandbox.credentialsFor("alice_q"));
      expect(auth.body).toEqual({ success: true });
      const created = await call(sandbox.apiUrl, "/projects/collaboration/create", sandbox.credentialsFor(), {
        json: {
          projectId: 21436591,
          collaboratorUserId: "ivan_data",
          collaborationLiveControl: false,
          collaborationWrite: false,
        },
      });
      expect(created.body["success"]).toBe(true);
      expect(
        (await sandbox.state()).projects.find((p) => p.projectId === 21436591)?.collaborators,
      ).toHaveLength(2);
      expect((await sandbox.stats()).byEndpoint["/authenticate"]).toEqual({ "200": 1 });
      await sandbox.reset();
      expect(
        (await sandbox.state()).projects.find((p) => p.projectId === 21436591)?.collaborators,
      ).toHaveLength(1);
    } finally {
      exit = await sandbox.stop();
    }
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/sandbox: POST \/api\/v2\/authenticate 200 \d+ms uid=100002/);
    expect(exit.stderr).toContain("SIGTERM received, closing");
    for (const user of seed.users) {
      expect(exit.stdout).not.toContain(user.apiToken);
      expect(exit.stderr).not.toContain(user.apiToken);
    }
    expect(exit.stderr).not.toMatch(/authorization: basic/i);
  });

  it("keeps its state across a restart with the same --state file, and exits 0 on SIGINT", async () => {
    const statePath = join(dir, "persist", "state.json");
    const first = await startSandboxProcess({ statePath });
    await call(first.apiUrl, "/projects/collaboration/delete", first.credentialsFor(), {
      json: { projectId: 21436589, collaboratorId: "leo_contractor" },
    });
    expect((await first.stop("SIGINT")).code).toBe(0);
    const second = await startSandboxProcess({ statePath, args: ["--strict-lock", "--lock-ttl", "60"] });
    try {
      const state = await second.state();
      const expected = seed.projects
        .find((p) => p.projectId === 21436589)
        ?.collaborators.map((c) => c.publicId)
        .filter((id) => id !== "leo_contractor");
      expect(expected?.length).toBeGreaterThan(0);
      const live = state.projects.find((p) => p.projectId === 21436589);
      expect(live?.collaborators.map((c) => c.publicId)).toEqual(expected);
      const refused = await call(second.apiUrl, "/projects/collaboration/delete", second.credentialsFor(), {
        json: { projectId: 21436589, collaboratorId: "bob_trader" },
      });
      expect(refused.body["errors"]).toEqual([expect.stringMatching(/acquire the project lock/)]);
    } finally {
      await second.stop();
    }
  });

  it("accepts a seed object and fault flags", async () => {
    const sandbox = await startSandboxProcess({
      seed: {
        users: [{ uid: 9, publicId: "solo", name: "Solo", email: "s@x.example", apiToken: "t".repeat(64) }],
        projects: [],
      },
      args: ["--rate-limit", "1", "--random-seed", "5"],
    });
    try {
      expect((await call(sandbox.apiUrl, "/authenticate", sandbox.credentialsFor("solo"))).status).toBe(200);
      const second = await call(sandbox.apiUrl, "/authenticate", sandbox.credentialsFor("solo"));
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      await sandbox.stop();
    }
  });

  it("refuses bad flags and broken seeds with exit 1, a clear message and no stack trace", async () => {
    const badRate = await runCli(["sandbox", "--fail-rate", "1.5"]);
    expect(badRate.code).toBe(1);
    expect(badRate.stderr).toContain("--fail-rate must be a probability between 0 and 1");
    const badPort = await runCli(["sandbox", "--port", "http"]);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain("--port must be a port number");
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{ "users": [ { "uid": "x" } ], "projects": [] }');
    const badSeed = await runCli(["sandbox", "--port", "0", "--seed", broken]);
    expect(badSeed.code).toBe(1);
    expect(badSeed.stderr).toContain(`${broken} is not a valid sandbox seed`);
    expect(badSeed.stderr).toContain("users[0].uid must be a positive integer");
    const missing = await runCli(["sandbox", "--port", "0", "--seed", join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read sandbox seed");
    for (const result of [badRate, badPort, badSeed, missing]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
