import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubPort, type GitHubPort } from "../../src/adapters/action/github-port.js";
import { PLAN_COMMENT_MARKER, upsertPlanComment } from "../../src/adapters/action/pr-comment.js";
import { DRIFT_LABEL, syncDriftIssue } from "../../src/adapters/action/drift-issue.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";

let fake: FakeGitHub;
let github: GitHubPort;

beforeEach(async () => {
  fake = await startFakeGitHub();
  github = createGitHubPort({ token: "ghs_test", owner: "acme", repo: "access", baseUrl: fake.url });
});
afterEach(async () => {
  await fake.close();
});

describe("the plan comment on a pull request", () => {
  it("is created once, then updated in place, even when it sits past the first page", async () => {
    fake.seedComments(7, 3);
    const first = await upsertPlanComment(github, 7, "plan v1");
    expect(first.action).toBe("created");
    fake.seedComments(7, 150); // pushes the marked comment out of the first page of 100
    const second = await upsertPlanComment(github, 7, "plan v2");
    expect(second).toEqual({ action: "updated", commentId: first.commentId });

    const ours = fake.comments.filter((c) => c.body.includes(PLAN_COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain("plan v2");
    expect(fake.writes()).toEqual([
      "POST /repos/acme/access/issues/7/comments",
      `PATCH /repos/acme/access/issues/comments/${first.commentId}`,
    ]);
    expect(fake.calls.filter((c) => c.method === "GET").length).toBeGreaterThanOrEqual(3);
    expect(fake.calls[0]?.authorization).toMatch(/ghs_test$/);
  });

  it("never edits a comment of someone else on another pull request", async () => {
    await upsertPlanComment(github, 1, "plan for #1");
    const other = await upsertPlanComment(github, 2, "plan for #2");
    expect(other.action).toBe("created");
    expect(fake.comments.map((c) => [c.issueNumber, c.body.includes(`#${c.issueNumber}`)])).toEqual([
      [1, true],
      [2, true],
    ]);
  });
});

describe("the drift issue", () => {
  it("opens one issue, updates it while drift lasts, closes it with a comment when clean", async () => {
    const opened = await syncDriftIssue(github, { drift: true, body: "drift 1" });
    expect(opened.action).toBe("opened");
    const updated = await syncDriftIssue(github, { drift: true, body: "drift 2" });
    expect(updated).toEqual({ action: "updated", issueNumber: opened.issueNumber });
    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]?.body).toContain("drift 2");
    expect(fake.issues[0]?.labels).toEqual([{ name: DRIFT_LABEL }]);

    const closed = await syncDriftIssue(github, { drift: false, closingComment: "clean again" });
    expect(closed).toEqual({ action: "closed", issueNumber: opened.issueNumber });
    expect(fake.issues[0]?.state).toBe("closed");
    expect(fake.comments.map((c) => c.body)).toEqual(["clean again"]);

    expect(await syncDriftIssue(github, { drift: false, closingComment: "x" })).toEqual({ action: "none" });
    const reopened = await syncDriftIssue(github, { drift: true, body: "drift 3" });
    expect(reopened.action).toBe("opened");
    expect(fake.issues).toHaveLength(2);
  });

  it("leaves an unrelated issue with the same label alone", async () => {
    fake.issues.push({
      number: 99,
      title: "manual",
      body: "by a person",
      state: "open",
      labels: [{ name: DRIFT_LABEL }],
    });
    const result = await syncDriftIssue(github, { drift: false, closingComment: "x" });
    expect(result.action).toBe("none");
    expect(fake.issues[0]?.state).toBe("open");
  });
});
