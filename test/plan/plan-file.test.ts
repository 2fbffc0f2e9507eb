import { describe, expect, it } from "vitest";
import { isQcCollabError } from "../../src/model/errors.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { findStaleProjects, parsePlanFile, serializePlanFile } from "../../src/plan/plan-file.js";
import { resolveProjects } from "../../src/plan/resolve-projects.js";
import { NOW, READ, live } from "./fixtures/builders.js";
import { demoDesired, demoIdentity, demoListed, demoLive, demoTool, withLive } from "./fixtures/demo-org.js";

const plan = buildPlan({
  desired: demoDesired,
  projects: withLive(resolveProjects(demoDesired, demoListed).resolved),
  identity: demoIdentity,
  now: NOW,
  tool: demoTool,
});

function planFileError(text: string): string {
  try {
    parsePlanFile(text, "p.json");
  } catch (error) {
    if (isQcCollabError(error) && error.code === "E_PLAN_FILE")
      return [error.message, ...error.details].join("\n");
    throw error;
  }
  throw new Error("expected E_PLAN_FILE");
}

describe("plan file", () => {
  const text = serializePlanFile(plan);

  it("round-trips exactly", () => {
    expect(parsePlanFile(text, "p.json")).toEqual(plan);
    const raw = JSON.parse(text) as { formatVersion: unknown; checksum: unknown };
    expect(raw.formatVersion).toBe(1);
    expect(raw.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("does not depend on key order or whitespace", () => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(raw).reverse());
    expect(parsePlanFile(JSON.stringify(reordered), "p.json")).toEqual(plan);
  });

  it("detects a hand edit", () => {
    const edited = text.replace('"user": "farid_ml"', '"user": "mallory"');
    expect(edited).not.toBe(text);
    expect(planFileError(edited)).toBe(
      "p.json: the plan file was edited after it was created (checksum mismatch)",
    );
  });

  it("refuses a file without checksum", () => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    delete raw.checksum;
    expect(planFileError(JSON.stringify(raw))).toContain("has no checksum");
  });

  it("refuses non-JSON, non-objects and other format versions", () => {
    expect(planFileError("version: 1\n")).toMatch(/^p\.json: not a plan file: it is not valid JSON/);
    expect(planFileError("[1,2]")).toContain("expected a JSON object");
    expect(planFileError("{}")).toContain("no formatVersion");
    expect(planFileError(text.replace('"formatVersion": 1', '"formatVersion": 2'))).toContain(
      "unsupported plan formatVersion 2",
    );
  });

  it("keeps a change's expiry, and refuses one that is not a YYYY-MM-DD date", () => {
    const gina = parsePlanFile(text, "p.json").projects[0]?.changes.find((c) => c.user === "gina_quant");
    expect(gina?.expires).toBe("2027-03-31");
    const badDate = text.replace('"expires": "2027-03-31"', '"expires": "31/03/2027"');
    expect(badDate).not.toBe(text);
    const { checksum: _old, ...content } = JSON.parse(badDate) as typeof plan & { checksum: string };
    const resealed = serializePlanFile(content);
    expect(planFileError(resealed)).toContain("/projects/0/changes/1/expires");
  });

  it("refuses a wrong shape even with a matching checksum", () => {
    const broken = { ...plan, projects: [{ projectId: "x" }] };
    const withChecksum = serializePlanFile(broken as unknown as typeof plan);
    const message = planFileError(withChecksum);
    expect(message).toContain("does not have the expected shape");
    expect(message).toContain("/projects/0");
  });
});

describe("findStaleProjects", () => {
  it("is empty when nothing moved, even if the order changed", () => {
    const current = new Map([...demoLive].map(([id, list]) => [id, [...list].reverse()]));
    expect(findStaleProjects(plan, current)).toEqual([]);
  });

  it("names the projects whose collaborators changed, or that were not re-read", () => {
    const current = new Map(demoLive);
    current.set(21436589, [...(demoLive.get(21436589) ?? []), live("newcomer", READ)]);
    current.delete(21436591);
    expect(findStaleProjects(plan, current)).toEqual([
      { projectId: 21436589, name: "Stat Arb Pairs" },
      { projectId: 21436591, name: "Execution Research" },
    ]);
  });

  it("ignores fields the plan does not depend on (display name, uid)", () => {
    const current = new Map(
      [...demoLive].map(([id, list]) => [id, list.map((c) => ({ ...c, name: "renamed", uid: null }))]),
    );
    expect(findStaleProjects(plan, current)).toEqual([]);
  });
});
