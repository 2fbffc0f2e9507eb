import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { demoPlan, edgePlan } from "./plan-fixtures.js";

describe("renderPlanJson", () => {
  it("is the plan, field for field", () => {
    const plan = edgePlan();
    expect(JSON.parse(renderPlanJson(plan))).toEqual(plan);
  });

  it("keeps the contract's keys and order", () => {
    const parsed = JSON.parse(renderPlanJson(demoPlan())) as Plan;
    expect(Object.keys(parsed)).toEqual([
      "formatVersion",
      "createdAt",
      "tool",
      "configDigest",
      "configFile",
      "settings",
      "summary",
      "projects",
      "warnings",
    ]);
    expect(Object.keys(parsed.summary)).toEqual([
      "create",
      "update",
      "delete",
      "projects",
      "changedProjects",
    ]);
    expect(parsed.summary).toEqual({ create: 4, update: 1, delete: 1, projects: 5, changedProjects: 3 });
    expect(Object.keys(parsed.projects[0] ?? {})).toEqual([
      "projectId",
      "name",
      "fingerprint",
      "changes",
      "unmanaged",
    ]);
  });

  it("drops anything outside the contract", () => {
    const plan = { ...demoPlan(), secret: "token" } as Plan;
    expect(renderPlanJson(plan)).not.toContain("token");
  });
});
