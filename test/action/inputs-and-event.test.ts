import { describe, expect, it } from "vitest";
import { pullRequestOf } from "../../src/adapters/action/event.js";
import { parseInputs } from "../../src/adapters/action/inputs.js";
import { isQcCollabError } from "../../src/model/errors.js";

const from = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("action inputs", () => {
  it("defaults: plan, collaborators.yaml, comment on, empty means not given", () => {
    expect(parseInputs(from({}))).toEqual({
      command: "plan",
      config: "collaborators.yaml",
      apiUrl: undefined,
      userId: undefined,
      apiToken: undefined,
      githubToken: undefined,
      commentOnPr: true,
      maxDeletions: undefined,
    });
  });

  it("reads every input", () => {
    const inputs = parseInputs(
      from({
        command: "apply",
        config: "access/qc.yaml",
        "api-url": "http://127.0.0.1:1/api/v2",
        "user-id": " 123 ",
        "api-token": "t",
        "github-token": "g",
        "comment-on-pr": "FALSE",
        "max-deletions": "0",
      }),
    );
    expect(inputs).toMatchObject({ command: "apply", userId: "123", commentOnPr: false, maxDeletions: 0 });
  });

  it.each([
    [{ command: "destroy" }, /command: "destroy" is not one of validate, plan, apply, drift/],
    [{ "comment-on-pr": "yes" }, /comment-on-pr: expected true or false/],
    [{ "max-deletions": "-1" }, /max-deletions: expected a whole number/],
  ])("rejects %o with E_USAGE", (values, message) => {
    let caught: unknown;
    try {
      parseInputs(from(values));
    } catch (error) {
      caught = error;
    }
    expect(isQcCollabError(caught) && caught.code).toBe("E_USAGE");
    expect((caught as Error).message).toMatch(message);
  });
});

describe("pull request and fork detection", () => {
  const event = (head: unknown) => ({ pull_request: { number: 5, head: { repo: head } } });

  it("a branch of the same repository is not a fork (case-insensitive)", () => {
    expect(pullRequestOf("pull_request", event({ full_name: "Acme/Access" }), "acme/access")).toEqual({
      number: 5,
      fromFork: false,
    });
  });

  it("another repository, or a deleted head repository, is a fork", () => {
    expect(pullRequestOf("pull_request", event({ full_name: "x/access" }), "acme/access")?.fromFork).toBe(
      true,
    );
    expect(pullRequestOf("pull_request", event(null), "acme/access")?.fromFork).toBe(true);
  });

  it("other events have no pull request", () => {
    expect(pullRequestOf("push", event({ full_name: "acme/access" }), "acme/access")).toBeUndefined();
    expect(pullRequestOf("schedule", {}, "acme/access")).toBeUndefined();
  });
});
