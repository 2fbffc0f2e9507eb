import { describe, expect, it } from "vitest";
import type { DesiredProject } from "../../src/model/desired-state.js";
import { needsProjectList, resolveProjects, selectTargets } from "../../src/plan/resolve-projects.js";
import { demoDesired, demoListed } from "./fixtures/demo-org.js";
import { desiredOf, project } from "./fixtures/builders.js";

function named(name: string, line: number): DesiredProject {
  return { ref: { kind: "name", name }, prune: false, grants: [], source: { file: "c.yaml", line, col: 5 } };
}

describe("needsProjectList", () => {
  it("is false when every project is an id without a name", () => {
    expect(needsProjectList(desiredOf([project(1, []), project(2, [])]))).toBe(false);
  });
  it("is true for a name to resolve or a name to check", () => {
    expect(needsProjectList(desiredOf([project(1, []), named("X", 3)]))).toBe(true);
    expect(needsProjectList(desiredOf([project(1, [], { name: "X" })]))).toBe(true);
  });
});

describe("resolveProjects", () => {
  it("resolves the demo file: names to ids, live names kept, in file order", () => {
    const result = resolveProjects(demoDesired, demoListed);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.resolved.map((r) => [r.projectId, r.liveName])).toEqual([
      [21436587, "Momentum Alpha"],
      [21436588, "Mean Reversion"],
      [21436589, "Stat Arb Pairs"],
      [21436590, "Risk Dashboard"],
      [21436591, "Execution Research"],
    ]);
  });

  it("works without a list when only ids are used", () => {
    const result = resolveProjects(desiredOf([project(7, [])]), undefined);
    expect(result.resolved).toEqual([expect.objectContaining({ projectId: 7, liveName: undefined })]);
  });

  it("unknown name: error at the project's line with a did-you-mean", () => {
    const result = resolveProjects(desiredOf([named("Mean Reversal", 12)]), demoListed);
    expect(result.resolved).toEqual([]);
    expect(result.errors).toEqual([
      {
        severity: "error",
        code: "E_PROJECT_NOT_FOUND",
        message:
          'no project named "Mean Reversal" is visible to these credentials; did you mean "Mean Reversion"?',
        location: { file: "c.yaml", line: 12, col: 5 },
      },
    ]);
  });

  it("unknown name far from every project: no suggestion", () => {
    const result = resolveProjects(desiredOf([named("Completely Different", 3)]), demoListed);
    expect(result.errors[0]?.message).not.toContain("did you mean");
  });

  it("ambiguous name: error naming the matching ids", () => {
    const listed = [...demoListed, { projectId: 99, name: "Risk Dashboard" }];
    const result = resolveProjects(desiredOf([named("Risk Dashboard", 8)]), listed);
    expect(result.errors[0]).toMatchObject({ code: "E_PROJECT_AMBIGUOUS", location: { line: 8 } });
    expect(result.errors[0]?.message).toContain("#21436590, #99");
  });

  it("id with a name that differs from the live name: warning, still resolved", () => {
    const result = resolveProjects(desiredOf([project(21436590, [], { name: "Risk Board" })]), demoListed);
    expect(result.resolved).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ code: "W_PROJECT_NAME_MISMATCH", severity: "warning" });
    expect(result.warnings[0]?.message).toContain('"Risk Dashboard"');
  });

  it("two entries resolving to the same id: error on the second", () => {
    const second = { ...named("Risk Dashboard", 20) };
    const result = resolveProjects(desiredOf([project(21436590, []), second]), demoListed);
    expect(result.resolved).toHaveLength(1);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: "E_PROJECT_DUPLICATE",
        location: { file: "c.yaml", line: 20, col: 5 },
      }),
    ]);
    expect(result.errors[0]?.message).toContain("c.yaml:1:5");
  });

  it("refuses to resolve names without the list (caller bug)", () => {
    expect(() => resolveProjects(desiredOf([named("X", 1)]), undefined)).toThrow(/not read/);
  });
});

describe("selectTargets", () => {
  const { resolved } = resolveProjects(demoDesired, demoListed);
  it("matches ids (with or without #), live names and declared names, in file order", () => {
    const { selected, unknown } = selectTargets(resolved, ["Execution Research", "21436587", "#21436589"]);
    expect(selected.map((r) => r.projectId)).toEqual([21436587, 21436589, 21436591]);
    expect(unknown).toEqual([]);
  });
  it("reports targets that match nothing", () => {
    const { selected, unknown } = selectTargets(resolved, ["Vol Surface", "123"]);
    expect(selected).toEqual([]);
    expect(unknown).toEqual(["Vol Surface", "123"]);
  });
});
