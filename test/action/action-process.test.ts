import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createQuantConnectClient } from "../../src/qc/client.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { pullRequestEvent, REPOSITORY, runActionProcess, type ActionRun } from "./run-action-process.js";

const MARKER = "<!-- qc-collab:plan -->";
const DRIFT_MARKER = "<!-- qc-collab:drift -->";
const GITHUB_TOKEN = "ghs_fakeGithubToken123456";

let sandbox: SandboxProcess;
let fake: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(async () => {
  await sandbox.reset();
  fake = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), "qc-collab-workspace-"));
  copyFileSync(join(REPO_ROOT, "collaborators.yaml"), join(workspace, "collaborators.yaml"));
});
afterEach(async () => {
  await fake.close();
  rmSync(workspace, { recursive: true, force: true });
});

function qcInputs(command: string, extra: Record<string, string> = {}): Record<string, string> {
  const env = sandbox.env();
  return {
    command,
    config: "collaborators.yaml",
    "api-url": sandbox.apiUrl,
    "user-id": env["QC_USER_ID"] ?? "",
    "api-token": env["QC_API_TOKEN"] ?? "",
    "github-token": GITHUB_TOKEN,
    "comment-on-pr": "true",
    "max-deletions": "",
    ...extra,
  };
}

function run(inputs: Record<string, string>, eventName: string, event: object): Promise<ActionRun> {
  return runActionProcess({ workspace, inputs, eventName, event, githubApiUrl: fake.url });
}

function expectNoSecrets(result: ActionRun): void {
  const token = sandbox.env()["QC_API_TOKEN"] ?? "";
  const everything = JSON.stringify([result, fake.calls.map((c) => c.body)]);
  // The token is only ever printed inside the runner's ::add-mask:: command, which hides it.
  const withoutMask = everything.replaceAll(`::add-mask::${token}`, "");
  expect(withoutMask).not.toContain(token);
  expect(JSON.stringify(fake.calls.map((c) => c.body))).not.toContain(GITHUB_TOKEN);
}

const changesOf = (summary: string | undefined) => {
  const s = JSON.parse(summary ?? "{}") as { create: number; update: number; delete: number };
  return s.create + s.update + s.delete;
};

describe("the bundled Action, run as GitHub runs it", () => {
  it("dist/ is up to date with the sources (npm run bundle:check)", () => {
    const out = execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "bundle-action.mjs"), "--check"], {
      encoding: "utf8",
    });
    expect(out).toContain("up to date");
  });

  it("validate: an invalid file becomes annotations on its lines, exit 1, nothing sent anywhere", async () => {
    writeFileSync(
      join(workspace, "collaborators.yaml"),
      "version: 1\nprojects:\n  - id: 21436587\n    collaborators:\n      - user: bob_trader\n        permision: write\n",
    );
    const before = await sandbox.stats();
    const result = await run(qcInputs("plan"), "pull_request", pullRequestEvent(12, REPOSITORY));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error file=collaborators\.yaml,line=6,col=9,title=E_CONFIG_UNKNOWN_KEY::.*did you mean 'permission'/m,
    );
    expect(result.stdout).toMatch(/^::error::E_CONFIG_RULE: collaborators\.yaml is not valid/m);
    expect(result.summary).toContain("## qc-collab plan: failed");
    expect(result.outputs).toEqual({});
    expect((await sandbox.stats()).total).toBe(before.total);
    expect(fake.calls).toEqual([]);
    expect(result.stdout).toContain("::add-mask::"); // the token is masked before anything else
  });

  it("validate: a valid file passes with a summary and no API call", async () => {
    const result = await run(qcInputs("validate"), "pull_request", pullRequestEvent(12, REPOSITORY));
    expect(result.code).toBe(0);
    expect(result.summary).toContain("✅ `collaborators.yaml` is valid.");
    expect(fake.calls).toEqual([]);
  });

  it("plan on a pull request: outputs, job summary, ONE comment created then updated in place", async () => {
    fake.seedComments(12, 3);
    const first = await run(qcInputs("plan"), "pull_request", pullRequestEvent(12, REPOSITORY));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.outputs["has-changes"]).toBe("true");
    expect(Object.keys(JSON.parse(first.outputs["summary"] ?? "{}") as object).sort()).toEqual([
      "changedProjects",
      "create",
      "delete",
      "projects",
      "update",
    ]);
    expect(changesOf(first.outputs["summary"])).toBeGreaterThan(0);
    const planFile = JSON.parse(readFileSync(first.outputs["plan-file"] ?? "", "utf8")) as {
      formatVersion: number;
      summary: unknown;
    };
    expect(planFile.formatVersion).toBe(1);
    expect(JSON.stringify(planFile.summary)).toBe(first.outputs["summary"]);
    expect(first.summary).toMatch(/farid_ml/);
    expect(first.summary).toMatch(/leo_contractor/);
    expect(fake.writes()).toEqual([`POST /repos/${REPOSITORY}/issues/12/comments`]);
    const comment = fake.comments.find((c) => c.body.includes(MARKER));
    expect(comment?.body).toContain("farid_ml");
    expect(fake.calls[0]?.authorization).toMatch(new RegExp(`${GITHUB_TOKEN}$`));

    // The next push changes the file: the same comment is edited, no second comment appears.
    const text = readFileSync(join(workspace, "collaborators.yaml"), "utf8");
    writeFileSync(
      join(workspace, "collaborators.yaml"),
      text.replace("      - user: gina_quant\n", "      - user: hana_pm\n"),
    );
    const second = await run(qcInputs("plan"), "pull_request", pullRequestEvent(12, REPOSITORY));
    expect(second.code).toBe(0);
    expect(fake.writes()).toEqual([
      `POST /repos/${REPOSITORY}/issues/12/comments`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${comment?.id ?? 0}`,
    ]);
    const ours = fake.comments.filter((c) => c.body.includes(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain("hana_pm");
    expect(ours[0]?.body).not.toContain("gina_quant");
    expectNoSecrets(first);
    expectNoSecrets(second);
  });

  it("plan: text from the file or from QuantConnect cannot issue workflow commands in the log", async () => {
    const text = readFileSync(join(workspace, "collaborators.yaml"), "utf8");
    writeFileSync(
      join(workspace, "collaborators.yaml"),
      text.replace('"reviews signals before the Q1 launch"', '"x\\n::error::injected by a reason"'),
    );
    const result = await run(qcInputs("plan", { "comment-on-pr": "false" }), "push", {
      ref: "refs/heads/main",
      repository: { full_name: REPOSITORY },
    });
    expect(result.code).toBe(0);
    // The line break is shown as a visible escape, so no line of the log starts with a command...
    expect(result.stdout).toContain('"x\\u000a::error::injected by a reason"');
    expect(result.stdout).not.toMatch(/^::error::injected/m);
    // ...and, as a second wall, the whole plan is printed where the runner processes no commands:
    // between ::stop-commands::T and ::T::.
    let stopToken: string | undefined;
    let bracketed = false;
    for (const line of result.stdout.split("\n")) {
      const stop = /^::stop-commands::(.+)$/.exec(line);
      if (stop !== null) stopToken = stop[1];
      else if (stopToken !== undefined && line === `::${stopToken}::`) stopToken = undefined;
      else if (line.includes("injected by a reason")) bracketed = /^[0-9a-f-]{36}$/.test(stopToken ?? "");
    }
    expect(bracketed).toBe(true);
    expect(stopToken).toBeUndefined();
  });

  it("plan on a pull request from a fork: validates, uses no secret, exits 0 with a note", async () => {
    const before = await sandbox.stats();
    const inputs = { ...qcInputs("plan"), "user-id": "", "api-token": "" }; // GitHub gives forks none
    const result = await run(inputs, "pull_request", pullRequestEvent(13, "stranger/access"));
    expect(result.code).toBe(0);
    expect(result.summary).toContain("comes from a fork");
    expect(result.stdout).toMatch(/^::notice::plan skipped: pull requests from forks/m);
    expect(result.outputs).toEqual({});
    expect((await sandbox.stats()).total).toBe(before.total);
    expect(fake.writes()).toEqual([]);
  });

  it("drift: opens one issue, updates it while drift lasts; apply converges; then the issue is closed", async () => {
    const schedule = { schedule: "17 6 * * *", repository: { full_name: REPOSITORY } };
    const first = await run(qcInputs("drift"), "schedule", schedule);
    expect(first.code).toBe(0);
    expect(first.outputs["has-changes"]).toBe("true");
    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]).toMatchObject({ state: "open", labels: [{ name: "qc-collab-drift" }] });
    expect(fake.issues[0]?.body).toContain(DRIFT_MARKER);

    const second = await run(qcInputs("drift"), "workflow_dispatch", {
      repository: { full_name: REPOSITORY },
    });
    expect(second.code).toBe(0);
    expect(fake.issues).toHaveLength(1);
    expect(fake.writes()).toEqual([
      `POST /repos/${REPOSITORY}/issues`,
      `PATCH /repos/${REPOSITORY}/issues/${fake.issues[0]?.number ?? 0}`,
    ]);

    const push = { ref: "refs/heads/main", repository: { full_name: REPOSITORY } };
    const apply = await run(qcInputs("apply", { "comment-on-pr": "false" }), "push", push);
    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    const changes = changesOf(apply.outputs["summary"]);
    expect(apply.summary).toContain(`Apply complete: ${changes} applied, 0 failed, 0 skipped`);
    expect(apply.summary).toMatch(/✅ applied \| \+ `farid_ml`/);
    const journal = readFileSync(join(apply.runnerTemp, "qc-collab-journal.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(journal.length).toBeGreaterThanOrEqual(changes);
    for (const line of journal) {
      expect(JSON.parse(line)).toMatchObject({
        actor: "octo-maintainer",
        commit: "0123456789abcdef0123456789abcdef01234567",
      });
    }
    expect(journal.join("\n")).not.toContain(sandbox.env()["QC_API_TOKEN"]);

    const clean = await run(qcInputs("drift"), "schedule", schedule);
    expect(clean.code).toBe(0);
    expect(clean.outputs["has-changes"]).toBe("false");
    expect(fake.issues[0]?.state).toBe("closed");
    expect(fake.comments.at(-1)?.body).toMatch(/^No drift any more/);
    const afterClose = fake.writes().length;
    const stillClean = await run(qcInputs("drift"), "schedule", schedule);
    expect(stillClean.code).toBe(0);
    expect(fake.writes()).toHaveLength(afterClose); // nothing to open, nothing to close
    for (const result of [first, second, apply, clean]) expectNoSecrets(result);
  });

  it("apply: a safety guard stops it before any write, exit 4, as in the CLI", async () => {
    const before = await sandbox.state();
    const result = await run(qcInputs("apply", { "max-deletions": "0" }), "push", { ref: "refs/heads/main" });
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/^::error::E_GUARD: apply stopped by a safety guard/m);
    expect(result.summary).toContain("## qc-collab apply: failed");
    expect(result.summary).toContain("--max-deletions");
    expect(await sandbox.state()).toEqual(before);
  });

  it("apply: a project that cannot be locked fails, the others apply, exit 3 with a summary", async () => {
    // alice_q (write on Momentum Alpha) holds its lock: our apply cannot take it.
    const alice = createQuantConnectClient({
      apiUrl: sandbox.apiUrl,
      credentials: sandbox.credentialsFor("alice_q"),
    });
    await alice.acquireLock(21436587, "alice-laptop");
    const result = await run(qcInputs("apply"), "push", { ref: "refs/heads/main" });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^::error::E_APPLY_PARTIAL: apply partly failed/m);
    expect(result.summary).toMatch(/Apply partly failed: \d+ applied, \d+ failed, \d+ skipped/);
    expect(result.summary).toMatch(/### Momentum Alpha \(#21436587\): failed/);
    expect(result.summary).toMatch(/### Stat Arb Pairs \(#21436589\): applied/);
    expectNoSecrets(result);
  });
});
