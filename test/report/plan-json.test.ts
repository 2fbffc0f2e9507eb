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

  it("keeps a change's expiry after its reason, and leaves it out when there is none", () => {
    const parsed = JSON.parse(renderPlanJson(demoPlan())) as Plan;
    const changes = parsed.projects[0]?.changes ?? [];
    const gina = changes.find((c) => c.user === "gina_quant");
    expect(Object.keys(gina ?? {})).toEqual([
      "action",
      "user",
      "before",
      "after",
      "source",
      "reason",
      "expires",
      "escalation",
      "selfLockout",
    ]);
    expect(gina?.expires).toBe("2027-03-31");
    expect(changes.find((c) => c.user === "farid_ml")).not.toHaveProperty("expires");
  });

  it("drops anything outside the contract", () => {
    const plan = { ...demoPlan(), secret: "token" } as Plan;
    expect(renderPlanJson(plan)).not.toContain("token");
  });
});
