import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const CLEAN_ENV = {
  QC_USER_ID: undefined,
  QC_API_TOKEN: undefined,
  QUANTCONNECT_USER_ID: undefined,
  QUANTCONNECT_API_TOKEN: undefined,
  QC_API_URL: undefined,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "qc-collab-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function lock(args: readonly string[]) {
  return runCli(["lock", ...args, "--sandbox"], { cwd: dir, env: { ...CLEAN_ENV, HOME: dir } });
}

describe("qc-collab lock --sandbox", () => {
  it("acquires by id, re-acquires as the same holder, and refuses another code source with E_LOCK", async () => {
    const first = await lock(["21436589"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'Locked project 21436589.\nHeld now by user 100001 as code source "qc-collab".\n',
    );

    // The lock lives in the persisted sandbox state, so a second process sees it.
    const state = JSON.parse(await readFile(join(dir, ".qc-collab", "sandbox-state.json"), "utf8")) as {
      locks?: { projectId: number; codeSourceId: string }[];
    };
    expect(state.locks).toEqual([
      expect.objectContaining({ projectId: 21436589, codeSourceId: "qc-collab" }),
    ]);

    const again = await lock(["21436589"]);
    expect(again.code).toBe(0);

    const other = await lock(["21436589", "--code-source-id", "laptop"]);
    expect(other.code).toBe(1);
    expect(other.stdout).toBe("");
    expect(other.stderr).toMatch(
      /^error E_LOCK: could not acquire the project lock at \/projects\/collaboration\/lock\/acquire \(project 21436589\): .*locked by mara_lindqvist \(codeSourceId "qc-collab"\)/,
    );
    expect(other.stderr).not.toMatch(/\n\s+at /);
  });

  it("resolves a project by exact name and reports JSON", async () => {
    const result = await lock(["Momentum Alpha", "--code-source-id", "ci", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: 1,
      locked: true,
      projectId: 21436587,
      name: "Momentum Alpha",
      holder: { userId: 100001, codeSourceId: "ci" },
    });
  });

  it("an unknown name or project id fails with exit 1 and a clear message", async () => {
    const byName = await lock(["No Such Project"]);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toContain('error E_NOT_FOUND: no project named "No Such Project"');

    const byId = await lock(["99999999"]);
    expect(byId.code).toBe(1);
    expect(byId.stderr).toMatch(/^error E_LOCK: .*\(project 99999999\): /);
  });

  it("requires the project argument", async () => {
    const result = await runCli(["lock"], { cwd: dir, env: { ...CLEAN_ENV, HOME: dir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing required argument 'project'");
  });
});
