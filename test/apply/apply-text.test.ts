import { describe, expect, it } from "vitest";
import type { ApplyResult } from "../../src/model/apply-result.js";
import type { Change } from "../../src/model/plan.js";
import { applySummaryLine, renderApplyText } from "../../src/report/apply-text.js";

const change = (action: Change["action"], user: string): Change => ({
  action,
  user,
  before: action === "create" ? null : { permission: "read", liveControl: false },
  after: action === "delete" ? null : { permission: "write", liveControl: false },
  source: "collaborators.yaml:3",
  escalation: action !== "delete",
  selfLockout: false,
});

const result: ApplyResult = {
  formatVersion: 1,
  status: "partial",
  startedAt: "2026-06-01T00:00:00.000Z",
  finishedAt: "2026-06-01T00:00:01.000Z",
  durationMs: 1000,
  counts: { applied: 2, failed: 1, skipped: 2 },
  projects: [
    {
      projectId: 1,
      name: "One",
      outcome: "applied",
      verified: true,
      durationMs: 10,
      changes: [
        { change: change("create", "ann"), outcome: "applied" },
        { change: change("update", "ben"), outcome: "applied" },
      ],
    },
    {
      projectId: 2,
      name: "Two",
      outcome: "failed",
      verified: null,
      durationMs: 10,
      error: { code: "E_API", message: "an earlier change in this project failed: unknown user" },
      changes: [
        {
          change: change("create", "bad"),
          outcome: "failed",
          error: { code: "E_API", message: "unknown user" },
        },
        {
          change: change("delete", "cat"),
          outcome: "skipped",
          error: { code: "E_API", message: "not attempted" },
        },
      ],
    },
    {
      projectId: 3,
      name: "Three",
      outcome: "failed",
      verified: null,
      durationMs: 10,
      error: { code: "E_LOCK", message: "locked by someone-else" },
      changes: [
        {
          change: change("create", "dan"),
          outcome: "skipped",
          error: { code: "E_LOCK", message: "not attempted: locked by someone-else" },
        },
      ],
    },
  ],
};

describe("renderApplyText", () => {
  it("lists every change with its outcome, why failed or skipped, and the summary line last", () => {
    expect(renderApplyText(result, { color: false })).toBe(
      [
        "One (#1): applied",
        "  applied + ann  write",
        "  applied ~ ben  read → write",
        "Two (#2): failed",
        "  failed  + bad  write  (E_API: unknown user)",
        "  skipped - cat  read (removed)",
        "Three (#3): failed",
        "  skipped + dan  write",
        "  E_LOCK: not attempted: locked by someone-else",
        "",
        "Apply partly failed: 2 applied, 1 failed, 2 skipped, in 3 projects (2 failed).",
        "",
      ].join("\n"),
    );
  });

  it("shows control characters in names and API messages as visible escapes", () => {
    const hostile: ApplyResult = {
      ...result,
      projects: result.projects.map((p) => ({
        ...p,
        name: `${p.name}\u001b[31m`,
        changes: p.changes.map((c) =>
          c.error === undefined ? c : { ...c, error: { ...c.error, message: "busy\r\nApply complete" } },
        ),
      })),
    };
    const text = renderApplyText(hostile, { color: false });
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).toContain("One\\u001b[31m (#1)");
  });

  it("says No changes. when there were none", () => {
    const none: ApplyResult = {
      ...result,
      status: "no-changes",
      counts: { applied: 0, failed: 0, skipped: 0 },
      projects: [],
    };
    expect(applySummaryLine(none)).toBe("No changes.");
    expect(renderApplyText(none, { color: true })).toBe("No changes.\n");
  });
});
