import { describe, expect, it } from "vitest";
import type { Change, Plan, ProjectPlan } from "../../src/model/plan.js";
import { summaryLine } from "../../src/report/plan-common.js";
import { DEFAULT_MARKDOWN_MAX_LENGTH, renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { demoPlan, edgePlan } from "./plan-fixtures.js";

function bigPlan(projects: number, changesPerProject: number): Plan {
  const base = demoPlan();
  const list: ProjectPlan[] = Array.from({ length: projects }, (_, i) => ({
    projectId: 30_000_000 + i,
    name: `Strategy ${i}`,
    fingerprint: "sha256:x",
    unmanaged: [],
    changes: Array.from({ length: changesPerProject }, (_, j): Change => ({
      action: "create",
      user: `user_${String(j).padStart(4, "0")}`,
      before: null,
      after: { permission: j % 2 === 0 ? "write" : "read", liveControl: false },
      source: `collaborators.yaml:${i * changesPerProject + j + 10}`,
      escalation: j % 2 === 0,
      selfLockout: false,
    })),
  }));
  return {
    ...base,
    summary: {
      create: projects * changesPerProject,
      update: 0,
      delete: 0,
      projects,
      changedProjects: projects,
    },
    projects: list,
  };
}

describe("renderPlanMarkdown", () => {
  it("renders the demo plan (snapshot)", async () => {
    await expect(renderPlanMarkdown(demoPlan())).toMatchFileSnapshot(
      "__snapshots__/plan-markdown.demo.md.snap",
    );
  });

  it("renders owner, self-lockout and unmanaged cases (snapshot)", async () => {
    await expect(renderPlanMarkdown(edgePlan())).toMatchFileSnapshot(
      "__snapshots__/plan-markdown.edge.md.snap",
    );
  });

  it("puts the summary first and highlights escalations", () => {
    const md = renderPlanMarkdown(demoPlan());
    const summaryAt = md.indexOf("**Plan: 4 to add, 1 to change, 1 to remove, in 3 of 5 projects.**");
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(md.indexOf("####"));
    expect(md).toContain("▲ 3 escalations");
    expect(md).toContain("| ➕ add | `farid_ml` | write | `collaborators.yaml:26` | **▲ escalation** |");
  });

  it("shows a temporary grant's last day in the table and in who gains what", () => {
    const md = renderPlanMarkdown(demoPlan());
    expect(md).toContain(
      "| ➕ add | `gina_quant` | read | `collaborators.yaml:35` | ⏳ until 2027-03-31<br>“reviews signals before the Q1 launch” |",
    );
    expect(md).toContain("| `gina_quant` | + read in Momentum Alpha until 2027-03-31 |");
  });

  it("escapes names and reasons that could break the table or inject HTML", () => {
    const plan = demoPlan();
    const [first, ...rest] = plan.projects;
    if (first === undefined) throw new Error("demo plan has projects");
    const hostile: Plan = {
      ...plan,
      projects: [
        {
          ...first,
          name: "A | B <script>alert(1)</script>",
          changes: first.changes.map((c) => ({ ...c, reason: "x | y <img src=x>" })),
        },
        ...rest,
      ],
    };
    const md = renderPlanMarkdown(hostile);
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("<img");
    expect(md).toContain("A \\| B &lt;script&gt;");
  });

  it("keeps a short plan expanded, folds a long one into <details>", () => {
    expect(renderPlanMarkdown(bigPlan(5, 10))).not.toContain("<details>");
    const long = renderPlanMarkdown(bigPlan(6, 10), { maxLength: 1_000_000 });
    expect(long).toContain("<details><summary>Changes in 6 projects</summary>");
    expect(long).not.toContain("more changes");
  });

  it("folds and trims a short plan that does not fit", () => {
    const plan = bigPlan(2, 10);
    const full = renderPlanMarkdown(plan);
    expect(full).not.toContain("<details>");
    const trimmed = renderPlanMarkdown(plan, { maxLength: full.length - 1 });
    expect(trimmed.length).toBeLessThan(full.length);
    expect(trimmed).toContain("<details>");
    expect(trimmed).toMatch(/_…and \d+ more (changes?|person|people)_/);
  });

  it("drops rows with '…and N more' to stay under GitHub's limit, keeping the summary whole", () => {
    const plan = bigPlan(300, 40);
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_LENGTH);
    expect(md).toContain(`**${summaryLine(plan)}**`);
    expect(md).toMatch(/_…and \d+ more changes_/);
    expect(md).toContain("<details>");
  });

  it("drops whole projects when even one row per project is too much", () => {
    const plan = bigPlan(3000, 2);
    const md = renderPlanMarkdown(plan, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain("**Plan: 6000 to add, 0 to change, 0 to remove, in 3000 of 3000 projects.**");
    expect(md).toMatch(/_…and \d+ more changed projects_/);
  });

  it("never cuts the summary, even under an impossible limit", () => {
    const plan = bigPlan(50, 5);
    const md = renderPlanMarkdown(plan, { maxLength: 10 });
    expect(md).toContain(`**${summaryLine(plan)}**`);
  });

  it("grows with the limit: more room never shows less", () => {
    const plan = bigPlan(60, 30);
    let previous = 0;
    for (const limit of [5_000, 10_000, 20_000, 40_000, 80_000]) {
      const md = renderPlanMarkdown(plan, { maxLength: limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      const rows = md.split("\n").filter((l) => l.startsWith("| ➕")).length;
      expect(rows).toBeGreaterThanOrEqual(previous);
      previous = rows;
    }
    expect(previous).toBeGreaterThan(0);
  });

  it("handles a plan of 10,000 projects (the design's large file) within the limit", () => {
    const plan = bigPlan(10_000, 5);
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_LENGTH);
    expect(md).toContain("**Plan: 50000 to add, 0 to change, 0 to remove, in 10000 of 10000 projects.**");
  });
});
