import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/model/desired-state.js";
import { parseDesiredState } from "../../src/desired/parse-desired-state.js";
import { loadDesiredFile } from "../../src/desired/load-desired-file.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NOW = new Date("2026-06-01T12:00:00Z");

describe("normalising collaborators.yaml (the repository's own file)", () => {
  it("fills settings, resolves teams into contributions and keeps every source line", async () => {
    const result = await loadDesiredFile("collaborators.yaml", { cwd: ROOT, now: NOW });
    expect(result.errors).toEqual([]);
    const state = result.value;
    if (state === undefined) throw new Error("invalid");
    expect(state.file).toBe("collaborators.yaml");
    expect(state.digest).toBe(
      createHash("sha256")
        .update(readFileSync(`${ROOT}collaborators.yaml`))
        .digest("hex"),
    );
    expect(state.settings).toEqual({ ...DEFAULT_SETTINGS, maxDeletions: 5 });
    expect(state.projects.map((p) => p.ref)).toEqual([
      { kind: "id", projectId: 21436587, name: "Momentum Alpha" },
      { kind: "name", name: "Mean Reversion" },
      { kind: "id", projectId: 21436589, name: "Stat Arb Pairs" },
      { kind: "id", projectId: 21436590, name: "Risk Dashboard" },
      { kind: "id", projectId: 21436591, name: "Execution Research" },
    ]);
    expect(state.projects.map((p) => p.prune)).toEqual([false, false, true, false, false]);

    const momentum = state.projects[0];
    expect(momentum?.grants.map((g) => g.user)).toEqual([
      "alice_q",
      "bob_trader",
      "carol_dev",
      "farid_ml",
      "gina_quant",
    ]);
    const alice = momentum?.grants[0]?.contributions;
    expect(alice).toEqual([
      {
        via: { kind: "team", team: "research" },
        access: { permission: "write", liveControl: true },
        // The member's line in the team definition, not the `- team:` line.
        source: { file: "collaborators.yaml", line: 19, col: 7 },
      },
    ]);
    expect(momentum?.grants[4]?.contributions).toEqual([
      {
        via: { kind: "direct" },
        access: { permission: "read", liveControl: false },
        source: { file: "collaborators.yaml", line: 35, col: 9 },
        expires: "2027-03-31",
        reason: "reviews signals before the Q1 launch",
      },
    ]);
    expect(momentum?.source).toEqual({ file: "collaborators.yaml", line: 30, col: 5 });
  });
});

describe("parseDesiredState", () => {
  it("applies `defaults` to entries that leave permission or liveControl out", () => {
    const text = [
      "version: 1",
      "defaults: { permission: write, liveControl: true }",
      "projects:",
      "  - id: 1",
      "    collaborators:",
      "      - user: a",
      "      - user: b",
      "        permission: read",
      "        liveControl: false",
    ].join("\n");
    const state = parseDesiredState(text, "f.yaml", { now: NOW }).value;
    expect(state?.projects[0]?.grants.map((g) => g.contributions[0]?.access)).toEqual([
      { permission: "write", liveControl: true },
      { permission: "read", liveControl: false },
    ]);
  });

  it("keeps a direct entry and the team entries of the same user as separate contributions", () => {
    const text = `version: 1
teams:
  t1:
    - user: a
      permission: write
  t2:
    - user: a
      liveControl: true
projects:
  - id: 1
    collaborators:
      - team: t1
      - user: a
      - team: t2
`;
    const grant = parseDesiredState(text, "f.yaml", { now: NOW }).value?.projects[0]?.grants[0];
    expect(grant?.user).toBe("a");
    expect(grant?.contributions.map((c) => [c.via, c.source.line])).toEqual([
      [{ kind: "team", team: "t1" }, 4],
      [{ kind: "direct" }, 13],
      [{ kind: "team", team: "t2" }, 7],
    ]);
  });

  it("carries a team reference's expires and reason to every member; the earlier expiry wins", () => {
    const text = `version: 1
teams:
  auditors:
    - user: a
      expires: 2030-01-31
      reason: member reason
    - user: b
projects:
  - id: 1
    collaborators:
      - team: auditors
        expires: 2029-12-31
        reason: project reason
  - id: 2
    collaborators:
      - team: auditors
        expires: 2031-01-01
`;
    const projects = parseDesiredState(text, "f.yaml", { now: NOW }).value?.projects;
    const terms = (p: number) =>
      projects?.[p]?.grants.map((g) => ({
        expires: g.contributions[0]?.expires,
        reason: g.contributions[0]?.reason,
      }));
    expect(terms(0)).toEqual([
      { expires: "2029-12-31", reason: "project reason" },
      { expires: "2029-12-31", reason: "project reason" },
    ]);
    expect(terms(1)).toEqual([
      { expires: "2030-01-31", reason: "member reason" },
      { expires: "2031-01-01", reason: undefined },
    ]);
  });

  it("uses the project's prune, else settings.prune", () => {
    const text = `version: 1
settings: { prune: true }
projects:
  - { id: 1, collaborators: [] }
  - { id: 2, prune: false, collaborators: [] }
  - { name: Three, collaborators: [] }
`;
    const state = parseDesiredState(text, "f.yaml", { now: NOW }).value;
    expect(state?.projects.map((p) => [p.ref, p.prune])).toEqual([
      [{ kind: "id", projectId: 1 }, true],
      [{ kind: "id", projectId: 2 }, false],
      [{ kind: "name", name: "Three" }, true],
    ]);
  });

  it("hashes the text as UTF-8 when given text, and names the file as given", () => {
    const text = "version: 1\n";
    const state = parseDesiredState(text, "./conf/x.yaml").value;
    expect(state?.digest).toBe(createHash("sha256").update(text).digest("hex"));
    expect(state?.file).toBe("./conf/x.yaml");
    expect(state?.projects).toEqual([]);
  });

  it("gives the same positions whichever parser reads the file (block fast path or full yaml)", () => {
    const block =
      "version: 1\nprojects:\n  - id: 1\n    collaborators:\n      - user: a\n        reason: r\n";
    // The anchor forces the full parser; the layout is otherwise identical.
    const full = block.replace("reason: r", "reason: &x r");
    const sources = (text: string) =>
      parseDesiredState(text, "f.yaml").value?.projects[0]?.grants[0]?.contributions[0]?.source;
    expect(sources(block)).toEqual({ file: "f.yaml", line: 5, col: 9 });
    expect(sources(full)).toEqual(sources(block));
  });
});
