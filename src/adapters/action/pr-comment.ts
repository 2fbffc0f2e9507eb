import type { GitHubPort } from "./github-port.js";

/** Hidden in the rendered comment; how the Action finds its own comment again on the next push. */
export const PLAN_COMMENT_MARKER = "<!-- qc-collab:plan -->";

export interface UpsertResult {
  readonly action: "created" | "updated";
  readonly commentId: number;
}

/**
 * Keeps ONE plan comment per pull request: the first comment carrying the marker is edited in
 * place; only when there is none is a comment created. The marker is added if the body lacks it.
 */
export async function upsertPlanComment(
  github: GitHubPort,
  pullNumber: number,
  body: string,
): Promise<UpsertResult> {
  const marked = body.includes(PLAN_COMMENT_MARKER) ? body : `${PLAN_COMMENT_MARKER}\n${body}`;
  const comments = await github.listIssueComments(pullNumber);
  const existing = comments.find((comment) => comment.body.includes(PLAN_COMMENT_MARKER));
  if (existing !== undefined) {
    await github.updateIssueComment(existing.id, marked);
    return { action: "updated", commentId: existing.id };
  }
  const created = await github.createIssueComment(pullNumber, marked);
  return { action: "created", commentId: created.id };
}
