import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process.js";
import { cli, workdir } from "./reliability-helpers.js";

/*
 * Bad input: every file of the invalid corpus (test/fixtures/invalid/*.yaml, each with its
 * .expected.json), plus a few hostile inputs made here, through the built CLI's `validate` and
 * `plan` against a sandbox process: exit 1, the expected `file:line:col` (validate reports on
 * stdout, plan on stderr), no stack trace, and
 * not one API call reached the sandbox.
 */
const CORPUS = join(REPO_ROOT, "test", "fixtures", "invalid");

interface Expected {
  readonly code: string;
  readonly line?: number;
  readonly col?: number;
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly expected: Expected;
}

function corpus(): Case[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({
      name: f,
      file: join(CORPUS, f),
      expected: JSON.parse(
        readFileSync(join(CORPUS, f.replace(/\.yaml$/, ".expected.json")), "utf8"),
      ) as Expected,
    }));
}

const work = workdir();

function handMade(): Case[] {
  const bomb = [
    "version: 1",
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    ...Array.from({ length: 8 }, (_, i) => {
      const name = String.fromCharCode(98 + i);
      const prev = String.fromCharCode(97 + i);
      return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
    }),
    "projects: []",
  ].join("\n");
  return [
    { name: "alias bomb", file: work.write("alias-bomb.yaml", `${bomb}\n`), expected: { code: "E_CONFIG" } },
    {
      name: "JSON garbage",
      file: work.write("garbage.yaml", '{"version": 1, "projects": [\n'),
      expected: { code: "E_CONFIG" },
    },
    {
      name: "missing file",
      file: work.path("does-not-exist.yaml"),
      expected: { code: "E_CONFIG", line: 1, col: 1 },
    },
    { name: "a directory", file: work.dir, expected: { code: "E_CONFIG", line: 1, col: 1 } },
  ];
}

const STACK_LINE = /^\s+at\s/m;

describe("bad input: exit 1, located, no stack trace, zero API calls", () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    await sandbox.stop();
    work.cleanup();
  });

  const cases = [...corpus(), ...handMade()];

  it("the corpus is there", () => {
    expect(corpus().length).toBeGreaterThanOrEqual(20);
  });

  it.concurrent.each(cases.map((c) => ({ ...c, label: c.name })))(
    "$label",
    { timeout: 60_000 },
    async (c) => {
      const run = cli(sandbox, work.dir);
      for (const command of [["validate"], ["plan", "--detailed-exitcode"]]) {
        const result = await run([...command, "-f", c.file]);
        const output = result.stdout + result.stderr;
        const label = `${command.join(" ")} -f ${c.name}: exit ${String(result.code)}\n${output}`;
        expect(result.code, label).toBe(1);
        if (c.expected.line !== undefined && c.expected.col !== undefined) {
          expect(output, label).toContain(`${c.file}:${String(c.expected.line)}:${String(c.expected.col)}`);
        } else {
          expect(output, label).toMatch(
            new RegExp(`${c.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+`),
          );
        }
        expect(output, label).toContain(c.expected.code);
        expect(output, label).not.toMatch(STACK_LINE);
      }
      const stats = await sandbox.stats();
      expect(stats.total, `API calls after ${c.name}: ${JSON.stringify(stats.byEndpoint)}`).toBe(0);
    },
  );
});
