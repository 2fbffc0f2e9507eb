import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { TOOL_VERSION } from "../../src/version.js";

describe("qc-collab CLI front door", () => {
  it("prints its version from package.json and exits 0", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(TOOL_VERSION);
    expect(TOOL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("rejects an unknown command with exit 1 and a usage message, no stack trace", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
