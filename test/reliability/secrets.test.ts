import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequentialClient } from "../../bench/sequential-client.js";
import { hashToken } from "../../src/qc/signing.js";
import type { CliResult } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { changedOrganisation, cli, workdir } from "./reliability-helpers.js";

/*
 * Secrets: every command, with --debug where it exists and QC_COLLAB_DEBUG=1 everywhere (the most
 * verbose the tool gets, stack traces included), through success and failure paths. Neither the
 * token nor any request hash sha256(token:timestamp) of the run's time window (nor the Basic
 * credentials built from it) may appear in stdout, stderr, plan files, the journal or any other
 * file the runs wrote.
 */

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every form of the secret that a leak could take, for each second of [fromS, toS]. */
function secretForms(userId: string, token: string, fromS: number, toS: number): string[] {
  const forms = [token, token.slice(0, 16), token.slice(-16)];
  for (let s = fromS; s <= toS; s++) {
    const hash = hashToken(token, String(s));
    forms.push(hash, Buffer.from(`${userId}:${hash}`).toString("base64"));
  }
  return forms;
}

describe("secrets never leak, even with --debug", () => {
  const org = changedOrganisation(6, 4);
  const owner = org.seed.users[0];
  const badToken = randomBytes(32).toString("hex");
  const project0 = String(org.seed.projects[0]?.projectId);
  const work = workdir();
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    work.write("collaborators.yaml", org.desiredYaml);
    sandbox = await startSandboxProcess({ seed: org.seed, args: ["--lock-ttl", "1"] });
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  it(
    "through validate, plan, apply, import, lock, whoami, reconcile and their failure paths",
    { timeout: 120_000 },
    async () => {
      if (owner === undefined) throw new Error("no owner");
      const fromS = Math.floor(Date.now() / 1000) - 2;
      const env = { QC_COLLAB_DEBUG: "1" };
      const run = cli(sandbox, work.dir, env);
      const runBad = cli(sandbox, work.dir, { ...env, QC_API_TOKEN: badToken });
      const results: { label: string; result: CliResult }[] = [];
      const step = async (
        label: string,
        expectedCode: number,
        args: string[],
        runner = run,
        mustSay?: string,
      ) => {
        const result = await runner(args);
        results.push({ label, result });
        expect(result.code, `${label}\n${result.stdout}${result.stderr}`).toBe(expectedCode);
        if (mustSay !== undefined) expect(result.stdout + result.stderr, label).toContain(mustSay);
      };

      await step("validate", 0, ["validate"]);
      await step("whoami", 0, ["whoami", "--debug"]);
      await step("plan", 2, ["plan", "--debug", "--detailed-exitcode"]);
      await step("plan --format json", 0, ["plan", "--debug", "--format", "json"]);
      await step("plan --out", 0, ["plan", "--debug", "--out", "first.plan.json"]);
      await step(
        "guard: max deletions",
        4,
        ["apply", "--debug", "--auto-approve", "--max-deletions", "0", "--journal", "journal.jsonl"],
        run,
        "E_GUARD",
      );
      await step("lock held by someone else", 0, [
        "lock",
        project0,
        "--code-source-id",
        "someone-else",
        "--debug",
      ]);
      await step("apply with lock contention", 3, [
        "apply",
        "--debug",
        "--auto-approve",
        "--journal",
        "journal.jsonl",
      ]);
      await step(
        "stale plan",
        1,
        ["apply", "first.plan.json", "--debug", "--auto-approve", "--journal", "journal.jsonl"],
        run,
        "E_STALE_PLAN",
      );
      // The other holder's lock expires after 1 s (--lock-ttl 1).
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await step("plan --out again", 0, ["plan", "--debug", "--out", "second.plan.json"]);
      await step("apply PLANFILE", 0, [
        "apply",
        "second.plan.json",
        "--debug",
        "--auto-approve",
        "--journal",
        "journal.jsonl",
      ]);
      await step("apply -f", 0, ["apply", "--debug", "--auto-approve", "--journal", "journal.jsonl"]);
      await step("import", 0, ["import", "--all", "-o", "imported.yaml", "--debug"]);
      await step("reconcile --once", 0, ["reconcile", "--once", "--apply"]);
      // Drift made behind the tool's back, then a drift plan and a reconcile that repairs it.
      const client = new SequentialClient(sandbox.apiUrl, {
        userId: String(owner.uid),
        apiToken: owner.apiToken,
      });
      const victim = org.desired.get(Number(project0))?.[0]?.publicId ?? "";
      await client.delete(Number(project0), victim);
      await step("reconcile --once with drift", 0, ["reconcile", "--once", "--apply"]);
      await step("bad token: whoami", 1, ["whoami", "--debug"], runBad, "E_AUTH");
      await step("bad token: plan", 1, ["plan", "--debug"], runBad, "E_AUTH");
      await step(
        "bad token: apply",
        1,
        ["apply", "--debug", "--auto-approve", "--journal", "journal.jsonl"],
        runBad,
        "E_AUTH",
      );
      const toS = Math.floor(Date.now() / 1000) + 2;

      const forms = [
        ...secretForms(String(owner.uid), owner.apiToken, fromS, toS),
        ...secretForms(String(owner.uid), badToken, fromS, toS),
      ];
      const leaks: string[] = [];
      for (const { label, result } of results) {
        for (const [stream, text] of [
          ["stdout", result.stdout],
          ["stderr", result.stderr],
        ] as const) {
          if (forms.some((f) => text.includes(f))) leaks.push(`${label}: ${stream}`);
        }
      }
      const files = filesUnder(work.dir);
      // The plan files, the journal and the import were written: the scan covers them.
      for (const expected of ["first.plan.json", "second.plan.json", "journal.jsonl", "imported.yaml"]) {
        expect(files.map((f) => f.slice(work.dir.length + 1))).toContain(expected);
      }
      for (const file of files) {
        const text = readFileSync(file, "utf8");
        if (forms.some((f) => text.includes(f))) leaks.push(file);
      }
      expect(leaks).toEqual([]);
      // --debug did log the requests (so the check covered verbose output).
      expect(results.find((r) => r.label === "plan")?.result.stderr).toMatch(/debug: POST/);
    },
  );
});
