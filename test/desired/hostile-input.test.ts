import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES, MAX_ALIAS_NODES, MAX_CONFIG_BYTES } from "../../src/desired/diagnostic-codes.js";
import { loadDesiredFile } from "../../src/desired/load-desired-file.js";
import { parseDesiredState } from "../../src/desired/parse-desired-state.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "qc-collab-hostile-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** "Billion laughs": each level references the previous one ten times. */
function aliasBomb(levels: number): string {
  const lines = [
    "version: 1",
    'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  for (let i = 1; i <= levels; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe("hostile input ends in one clean diagnostic", () => {
  it("refuses an alias bomb without expanding it", () => {
    const started = Date.now();
    const result = parseDesiredState(aliasBomb(9), "bomb.yaml");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: DIAGNOSTIC_CODES.configSyntax });
    expect(result.errors[0]?.message).toContain(`more than ${MAX_ALIAS_NODES} nodes`);
    expect(result.errors[0]?.location.line).toBeGreaterThan(1);
  });

  it("refuses a self-referencing alias", () => {
    const result = parseDesiredState("version: 1\nprojects: &p\n  - *p\n", "loop.yaml");
    expect(result.value).toBeUndefined();
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it("rejects a 50 MB file before parsing it", async () => {
    const path = join(dir, "huge.yaml");
    const line = "# padding padding padding padding padding padding padding padding padding padding\n";
    writeFileSync(path, `version: 1\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`);
    const started = Date.now();
    const result = await loadDesiredFile(path);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.errors).toEqual([
      {
        severity: "error",
        code: DIAGNOSTIC_CODES.configTooLarge,
        message: expect.stringMatching(/^the file is 50\.0 MB; the limit is 20\.0 MB/) as unknown,
        location: { file: path, line: 1, col: 1 },
      },
    ]);
    rmSync(path);
  });

  it("applies the same limit to text handed to parseDesiredState", () => {
    const result = parseDesiredState(`version: 1\n#${"x".repeat(MAX_CONFIG_BYTES)}\n`, "big.yaml");
    expect(result.errors.map((e) => e.code)).toEqual([DIAGNOSTIC_CODES.configTooLarge]);
  });

  it("reads at most the limit from a stream that never ends", async () => {
    const result = await loadDesiredFile("/dev/zero");
    expect(result.errors.map((e) => e.code)).toEqual([DIAGNOSTIC_CODES.configTooLarge]);
  });

  it("names a missing file and a directory as read errors, relative to cwd", async () => {
    const missing = await loadDesiredFile("nope.yaml", { cwd: dir });
    expect(missing.errors).toEqual([
      {
        severity: "error",
        code: DIAGNOSTIC_CODES.configRead,
        message: expect.stringContaining("file not found") as unknown,
        location: { file: "nope.yaml", line: 1, col: 1 },
      },
    ]);
    const directory = await loadDesiredFile(".", { cwd: dir });
    expect(directory.errors[0]?.message).toContain("directory");
  });

  it("rejects random binary data as not text", async () => {
    const path = join(dir, "random.bin");
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(path, bytes);
    const result = await loadDesiredFile(path);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.code).toBe(DIAGNOSTIC_CODES.configNotText);
  });

  it("survives deep nesting", () => {
    const text = `version: 1\nprojects: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const result = parseDesiredState(text, "deep.yaml");
    expect(result.value).toBeUndefined();
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it("keeps a key named __proto__ as data", () => {
    const result = parseDesiredState('version: 1\n"__proto__": { polluted: true }\n', "proto.yaml");
    expect(result.errors.map((e) => e.code)).toEqual([DIAGNOSTIC_CODES.unknownKey]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
