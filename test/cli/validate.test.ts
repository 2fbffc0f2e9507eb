import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const STACK = /\n\s+at /;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "qc-collab-validate-"));
  writeFileSync(
    join(dir, "collaborators.yaml"),
    "version: 1\nteams:\n  t:\n    - user: a\nprojects:\n  - id: 1\n    collaborators:\n      - team: t\n      - user: b\n",
  );
  writeFileSync(
    join(dir, "broken.yaml"),
    "version: 1\nprojects:\n  - id: 1\n    collaborators:\n      - user: a\n        permision: write\n      - team: nope\n",
  );
  writeFileSync(
    join(dir, "expired.yaml"),
    "version: 1\nprojects:\n  - id: 1\n    collaborators:\n      - user: a\n        expires: 2001-01-01\n",
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("qc-collab validate", () => {
  it("reads collaborators.yaml in the working directory by default; exit 0 and a summary", async () => {
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("collaborators.yaml: valid, 1 project, 2 grants\n");
  });

  it("validates the repository's own file", async () => {
    const result = await runCli(["validate"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^collaborators\.yaml: valid, 5 projects, \d+ grants\n$/);
  });

  it("lists every problem with file:line:col and exits 1, without a stack trace", async () => {
    const result = await runCli(["validate", "-f", "broken.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "broken.yaml:6:9: error E_CONFIG_UNKNOWN_KEY: unknown key 'permision' in a collaborator entry; did you mean 'permission'?\n" +
        "broken.yaml:7:15: error E_CONFIG_UNKNOWN_TEAM: unknown team 'nope' (no teams are defined under `teams:`)\n" +
        "broken.yaml: invalid, 2 errors\n",
    );
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  });

  it("exits 0 with warnings", async () => {
    const result = await runCli(["validate", "-f", "expired.yaml"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("expired.yaml:6:18: warning W_EXPIRED_GRANT:");
    expect(result.stdout).toContain("expired.yaml: valid, 1 project, 1 grant, 1 warning\n");
  });

  it("--format json prints only the JSON document", async () => {
    const result = await runCli(["validate", "-f", "broken.yaml", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout) as {
      formatVersion: number;
      valid: boolean;
      errors: { code: string }[];
    };
    expect(body.formatVersion).toBe(1);
    expect(body.valid).toBe(false);
    expect(body.errors.map((e) => e.code)).toEqual(["E_CONFIG_UNKNOWN_KEY", "E_CONFIG_UNKNOWN_TEAM"]);
  });

  it("--format github prints annotations", async () => {
    const result = await runCli(["validate", "-f", "broken.yaml", "--format", "github"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe(
      "::error file=broken.yaml,line=6,col=9,title=E_CONFIG_UNKNOWN_KEY::unknown key 'permision' in a collaborator entry; did you mean 'permission'?",
    );
  });

  it("reports a missing file as E_CONFIG_READ with exit 1", async () => {
    const result = await runCli(["validate", "-f", "missing.yaml", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      errors: [{ code: "E_CONFIG_READ", file: "missing.yaml", line: 1, col: 1 }],
    });
    expect(result.stderr).not.toMatch(STACK);
  });

  it("rejects an unknown format as a usage error", async () => {
    const result = await runCli(["validate", "--format", "xml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("xml");
  });
});
