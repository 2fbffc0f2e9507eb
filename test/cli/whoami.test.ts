import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSeedPath } from "../../src/sandbox/package-root.js";
import { readSeedFile } from "../../src/sandbox/seed.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { runCli } from "../helpers/run-cli.js";

const seed = readSeedFile(defaultSeedPath());
const alice = seed.users.find((user) => user.publicId === "alice_q");
if (alice === undefined) throw new Error("seed has no alice_q");
// No credentials leak in from the developer's own environment.
const CLEAN_ENV = {
  QC_USER_ID: undefined,
  QC_API_TOKEN: undefined,
  QUANTCONNECT_USER_ID: undefined,
  QUANTCONNECT_API_TOKEN: undefined,
  QC_API_URL: undefined,
};

let dir: string;
let server: RunningSandbox;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "qc-collab-whoami-"));
  server = await startSandboxServer({ host: "127.0.0.1", port: 0, seed });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("qc-collab whoami", () => {
  it("--sandbox: authenticates as the demo user, creating the sandbox state in the cwd", async () => {
    const result = await runCli(["whoami", "--sandbox"], { cwd: dir, env: { ...CLEAN_ENV, HOME: dir } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Authenticated to QuantConnect as user 100001\nAPI: http:\/\/127\.0\.0\.1:\d+\/api\/v2 \(embedded sandbox\)\n$/,
    );
    const demoToken = seed.users[0]?.apiToken ?? "";
    expect(result.stdout).not.toContain(demoToken);
  });

  it("--format json prints only the JSON document on stdout; --debug logs requests to stderr", async () => {
    const result = await runCli(["whoami", "--sandbox", "--format", "json", "--debug"], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: dir },
    });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({ formatVersion: 1, authenticated: true, userId: 100001, sandbox: true });
    expect(result.stderr).toMatch(/^debug: POST \/authenticate -> 200 success attempt 1 \d+ ms\n$/);
  });

  it("uses QC_USER_ID / QC_API_TOKEN and --api-url against a running API", async () => {
    const result = await runCli(["whoami", "--api-url", `${server.apiUrl}/`], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: dir, QC_USER_ID: String(alice.uid), QC_API_TOKEN: alice.apiToken },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Authenticated to QuantConnect as user ${alice.uid}\nAPI: ${server.apiUrl}\n`);
  });

  it("falls back to ~/.lean/credentials and QC_API_URL", async () => {
    const home = join(dir, "home-lean");
    await mkdir(join(home, ".lean"), { recursive: true });
    await writeFile(
      join(home, ".lean", "credentials"),
      JSON.stringify({ "user-id": String(alice.uid), "api-token": alice.apiToken }),
    );
    const result = await runCli(["whoami", "--format", "json"], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: home, QC_API_URL: server.apiUrl },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: 1,
      authenticated: true,
      userId: alice.uid,
      apiUrl: server.apiUrl,
      sandbox: false,
    });
  });

  it("a wrong token: exit 1, E_AUTH with the clock hint, and no secret in the output", async () => {
    const wrongToken = "9".repeat(64);
    const result = await runCli(["whoami", "--api-url", server.apiUrl, "--debug"], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: dir, QC_USER_ID: String(alice.uid), QC_API_TOKEN: wrongToken },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error E_AUTH: QuantConnect did not accept the credentials at /authenticate",
    );
    expect(result.stderr).toMatch(/hint: .*7200 s.*local clock reads \d{4}-\d\d-\d\dT/);
    expect(result.stderr).toContain("debug: POST /authenticate -> 401");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const everything = result.stdout + result.stderr;
    expect(everything).not.toContain(wrongToken);
    expect(everything).not.toMatch(/[0-9a-f]{64}/);
    expect(everything).not.toContain("Basic ");
  });

  it("no credentials anywhere: exit 1, E_CREDENTIALS listing what was tried", async () => {
    const result = await runCli(["whoami"], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: join(dir, "empty-home") },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error E_CREDENTIALS: no QuantConnect credentials found");
    expect(result.stderr).toContain("tried QC_USER_ID / QC_API_TOKEN (not set)");
    expect(result.stderr).toContain(join(dir, "empty-home", ".lean", "credentials"));
  });

  it("--sandbox and --api-url together are a usage error", async () => {
    const result = await runCli(["whoami", "--sandbox", "--api-url", server.apiUrl], {
      cwd: dir,
      env: { ...CLEAN_ENV, HOME: dir },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot be used with/);
  });
});
