import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDesiredFile } from "../../src/desired/load-desired-file.js";
import { DIAGNOSTIC_CODES } from "../../src/desired/diagnostic-codes.js";

const INVALID = fileURLToPath(new URL("../fixtures/invalid/", import.meta.url));
const VALID = fileURLToPath(new URL("../fixtures/valid/", import.meta.url));

interface Expectation {
  readonly code: string;
  readonly line: number;
  readonly col: number;
  readonly errors: number;
}

const invalidFiles = readdirSync(INVALID).filter((name) => /\.ya?ml$/.test(name));

describe("the corpus of broken files (test/fixtures/invalid)", () => {
  it("has an expectation for every file", () => {
    expect(invalidFiles.length).toBeGreaterThan(30);
    for (const name of invalidFiles) {
      expect(() => readFileSync(`${INVALID}${name.replace(/\.ya?ml$/, ".expected.json")}`)).not.toThrow();
    }
  });

  it.each(invalidFiles)("%s: fails with the expected code at the expected place", async (name) => {
    const expected = JSON.parse(
      readFileSync(`${INVALID}${name.replace(/\.ya?ml$/, ".expected.json")}`, "utf8"),
    ) as Expectation;
    const result = await loadDesiredFile(name, { cwd: INVALID });
    expect(result.value).toBeUndefined();
    expect(result.errors).toHaveLength(expected.errors);
    const first = result.errors[0];
    expect(first).toMatchObject({
      severity: "error",
      code: expected.code,
      location: { file: name, line: expected.line, col: expected.col },
    });
    expect(Object.values(DIAGNOSTIC_CODES)).toContain(first?.code);
    expect(first?.message).not.toMatch(/\n|\bat .*\.js:\d+/);
  });
});

describe("valid edge cases (test/fixtures/valid)", () => {
  it.each(readdirSync(VALID).filter((name) => name.endsWith(".yaml")))("%s is valid", async (name) => {
    const result = await loadDesiredFile(name, { cwd: VALID });
    expect(result.errors).toEqual([]);
    expect(result.value?.file).toBe(name);
  });

  it("reads indentless sequences, quoted strings and YAML 1.2 booleans", async () => {
    const result = await loadDesiredFile("indentless-and-quoted.yaml", { cwd: VALID });
    const project = result.value?.projects[0];
    expect(project?.ref).toEqual({ kind: "id", projectId: 21436588, name: "Mean Reversion" });
    expect(project?.grants.map((g) => g.user)).toEqual(["dave_ops", "alice_q"]);
    expect(project?.grants[0]?.contributions[0]?.reason).toBe("it's Dave: on call");
    expect(project?.grants[1]?.contributions[0]?.access).toEqual({ permission: "write", liveControl: true });
  });

  it("expands a shared list behind an alias", async () => {
    const result = await loadDesiredFile("anchors-shared-list.yaml", { cwd: VALID });
    expect(result.value?.projects.map((p) => p.grants.map((g) => g.user))).toEqual([
      ["alice_q", "bob_trader"],
      ["alice_q", "bob_trader"],
    ]);
  });
});
