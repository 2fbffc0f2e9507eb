import { describe, expect, it } from "vitest";
import { evaluateGuards } from "../../src/plan/guards.js";
import { OWNER, READ, WRITE_LIVE, live, planOne, project } from "./fixtures/builders.js";

describe("evaluateGuards", () => {
  const liveList = [OWNER, live("a", READ), live("b", READ), live("c", READ)];
  const plan = planOne(project(5, [], { prune: true }), liveList);

  it("passes when deletions are within the limit", () => {
    expect(evaluateGuards(plan, { maxDeletions: 3 })).toEqual([]);
  });

  it("stops when deletions exceed the limit", () => {
    expect(evaluateGuards(plan, { maxDeletions: 2 })).toEqual([
      {
        code: "max-deletions",
        message:
          "the plan removes 3 collaborators, more than the limit of 2 (maxDeletions / --max-deletions)",
      },
    ]);
  });

  it("reports every self-lockout change with its project and user", () => {
    const selfPlan = planOne(project(5, [], { prune: true }), [OWNER, live("me", WRITE_LIVE, { uid: 2 })]);
    const violations = evaluateGuards(selfPlan, { maxDeletions: 10 });
    expect(violations).toEqual([expect.objectContaining({ code: "self-lockout", projectId: 5, user: "me" })]);
    expect(violations[0]?.message).toContain("remove me");
  });

  it("reports both guards together", () => {
    const selfPlan = planOne(project(5, [], { prune: true }), [OWNER, live("me", WRITE_LIVE, { uid: 2 })]);
    expect(evaluateGuards(selfPlan, { maxDeletions: 0 }).map((v) => v.code)).toEqual([
      "max-deletions",
      "self-lockout",
    ]);
  });
});
