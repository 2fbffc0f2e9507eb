import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { demoPlan, edgePlan } from "./plan-fixtures.js";

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe("renderPlanText", () => {
  it("renders the demo plan (snapshot)", async () => {
    await expect(renderPlanText(demoPlan(), { color: false })).toMatchFileSnapshot(
      "__snapshots__/plan-text.demo.txt",
    );
  });

  it("renders owner, self-lockout and unmanaged cases (snapshot)", async () => {
    await expect(renderPlanText(edgePlan(), { color: false })).toMatchFileSnapshot(
      "__snapshots__/plan-text.edge.txt",
    );
  });

  it("ends with the exact summary line", () => {
    const lines = renderPlanText(demoPlan(), { color: false }).trimEnd().split("\n");
    expect(lines.at(-1)).toBe("Plan: 4 to add, 1 to change, 1 to remove, in 3 of 5 projects.");
  });

  it("cites the YAML line on every create and update, and the reason on every delete", () => {
    const text = renderPlanText(demoPlan(), { color: false });
    expect(text).toContain('~ project "Momentum Alpha" (#21436587)');
    expect(text).toMatch(/\+ farid_ml +write +\(collaborators\.yaml:26\) +▲ escalation/);
    expect(text).toMatch(/~ carol_dev +read → write +\(collaborators\.yaml:24\)/);
    expect(text).toMatch(/- leo_contractor +write +\(not declared, prune on\)/);
  });

  it("says until when a temporary grant lasts, on the change and in the per-person view", () => {
    const text = renderPlanText(demoPlan(), { color: false });
    expect(text).toMatch(
      /\+ gina_quant +read +\(collaborators\.yaml:35\) +until 2027-03-31 +"reviews signals before the Q1 launch"/,
    );
    expect(text).toMatch(/gina_quant +\+ read in Momentum Alpha until 2027-03-31\n/);
    expect(text).not.toMatch(/farid_ml .*until/);
  });

  it("marks self-lockout and says apply will refuse", () => {
    const text = renderPlanText(edgePlan(), { color: false });
    expect(text).toMatch(/- mara_lindqvist .*✖ self-lockout/);
    expect(text).toContain("apply will refuse this plan (exit 4)");
    expect(text).toContain("jun_intern (write) (unmanaged, kept)");
  });

  it("says No changes when nothing changes", () => {
    const plan = demoPlan();
    const clean: Plan = {
      ...plan,
      summary: { ...plan.summary, create: 0, update: 0, delete: 0, changedProjects: 0 },
      projects: plan.projects.map((p) => ({ ...p, changes: [] })),
      warnings: [],
    };
    expect(renderPlanText(clean, { color: false })).toBe(
      "No changes. 5 projects match collaborators.yaml.\n",
    );
  });

  it("shows control characters from outside (project names, reasons) as visible escapes", () => {
    const plan = demoPlan();
    const hostile: Plan = {
      ...plan,
      projects: plan.projects.map((p, i) =>
        i === 0
          ? {
              ...p,
              name: "Evil\u001b[2J\nPlan: 0 to add",
              changes: p.changes.map((c) => ({ ...c, reason: "ok\u001b]0;title\u0007" })),
            }
          : p,
      ),
    };
    const text = renderPlanText(hostile, { color: false });
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).toContain('project "Evil\\u001b[2J\\u000aPlan: 0 to add"');
    expect(text).toContain('"ok\\u001b]0;title\\u0007"');
    expect(text.match(/^Plan: /gm)).toHaveLength(1);
  });

  it("uses colour only when asked", () => {
    expect(renderPlanText(demoPlan(), { color: false })).not.toMatch(ANSI);
    const colored = renderPlanText(demoPlan(), { color: true });
    expect(colored).toMatch(ANSI);
    expect(colored.replace(new RegExp(ANSI.source, "g"), "")).toBe(
      renderPlanText(demoPlan(), { color: false }),
    );
  });
});
