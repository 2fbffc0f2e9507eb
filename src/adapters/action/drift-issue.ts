import type { GitHubPort } from "./github-port.js";

export const DRIFT_LABEL = "qc-collab-drift";
export const DRIFT_ISSUE_MARKER = "<!-- qc-collab:drift -->";
export const DRIFT_ISSUE_TITLE = "qc-collab: QuantConnect collaborators drifted from collaborators.yaml";

export type DriftIssueAction = "opened" | "updated" | "closed" | "none";

export interface DriftIssueResult {
  readonly action: DriftIssueAction;
  readonly issueNumber?: number;
}

/**
 * One issue while drift lasts: opened on the first drift, its body replaced on later drift runs,
 * closed with a comment once the live state matches again. Found by label AND marker, so an
 * unrelated issue that happens to carry the label is never edited or closed.
 */
export async function syncDriftIssue(
  github: GitHubPort,
  state: { drift: true; body: string } | { drift: false; closingComment: string },
): Promise<DriftIssueResult> {
  const candidates = await github.listOpenIssues(DRIFT_LABEL);
  const existing = candidates.find((issue) => issue.body.includes(DRIFT_ISSUE_MARKER));
  if (state.drift) {
    const body = `${DRIFT_ISSUE_MARKER}\n${state.body}`;
    if (existing !== undefined) {
      await github.updateIssue(existing.number, { body });
      return { action: "updated", issueNumber: existing.number };
    }
    const created = await github.createIssue({ title: DRIFT_ISSUE_TITLE, body, labels: [DRIFT_LABEL] });
    return { action: "opened", issueNumber: created.number };
  }
  if (existing === undefined) return { action: "none" };
  await github.createIssueComment(existing.number, state.closingComment);
  await github.updateIssue(existing.number, { state: "closed" });
  return { action: "closed", issueNumber: existing.number };
}
