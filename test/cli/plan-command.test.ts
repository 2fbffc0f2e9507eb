import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/adapters/cli/main.js";
import { parsePlanFile } from "../../src/plan/plan-file.js";
import { readSeedFile } from "../../src/sandbox/seed.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const seed = readSeedFile(join(REPO_ROOT, "examples", "sandbox-state.json"));
const demo = seed.users[0];
let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "qc-plan-cli-"));
  await writeFile(join(dir, "collaborators.yaml"), await readFile(join(REPO_ROOT, "collaborators.yaml")));
  sandbox = await startSandboxServer({ seed, statePath: join(dir, "state.json") });
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
  const env = {
    HOME: dir,
    QC_USER_ID: String(demo?.uid),
    QC_API_TOKEN: demo?.apiToken ?? "",
    QC_API_URL: sandbox.apiUrl,
  };
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), cwd: dir, env });
  return { code, stdout: out, stderr: err };
}

describe("qc-collab plan", () => {
  it("--detailed-exitcode: 2 with changes; --out saves a plan file apply accepts, and says so on stderr", async () => {
    const result = await run(["plan", "--detailed-exitcode", "--out", "p.json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("Plan: 3 to add, 1 to change, 1 to remove, in 3 of 5 projects.");
    expect(result.stderr).toContain("Saved the plan to p.json");
    const plan = parsePlanFile(await readFile(join(dir, "p.json"), "utf8"), "p.json");
    expect(plan.summary).toMatchObject({ create: 3, update: 1, delete: 1, projects: 5, changedProjects: 3 });
  });

  it("--format json: stdout is the JSON alone; --format markdown renders for a PR", async () => {
    const json = await run(["plan", "--format", "json"]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { formatVersion: number }).formatVersion).toBe(1);
    const md = await run(["plan", "--format", "markdown"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("Momentum Alpha");
  });

  it("--target narrows the plan; an unknown target is a usage error", async () => {
    const one = await run(["plan", "--target", "Stat Arb Pairs", "--format", "json"]);
    const plan = JSON.parse(one.stdout) as { projects: { projectId: number }[] };
    expect(plan.projects.map((p) => p.projectId)).toEqual([21436589]);
    const unknown = await run(["plan", "--target", "Nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('E_USAGE: --target "Nope" matches no project');
  });

  it("a missing file is reported with its name and exit 1", async () => {
    const result = await run(["plan", "-f", "missing.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing.yaml");
    expect(result.stdout).toBe("");
  });
});

describe("qc-collab import", () => {
  it("needs --project or --all", async () => {
    const result = await run(["import"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--project ID");
  });

  it("refuses a project it cannot see", async () => {
    const result = await run(["import", "--project", "999"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("#999");
  });
});
