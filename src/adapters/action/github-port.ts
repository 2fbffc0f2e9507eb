import { getOctokit } from "@actions/github";

export interface IssueComment {
  readonly id: number;
  readonly body: string;
}

export interface RepoIssue {
  readonly number: number;
  readonly body: string;
  readonly state: "open" | "closed";
}

/**
 * What the Action needs from GitHub, and nothing more: the seam the comment and issue logic is
 * written against (tests drive it against a fake GitHub on loopback).
 */
export interface GitHubPort {
  listIssueComments(issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<void>;
  /** Open issues (not pull requests) carrying the label. */
  listOpenIssues(label: string): Promise<RepoIssue[]>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<RepoIssue>;
  updateIssue(issueNumber: number, change: { body?: string; state?: "open" | "closed" }): Promise<void>;
}

export interface GitHubPortOptions {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  /** GITHUB_API_URL on the runner (GitHub Enterprise, or a fake server in tests). */
  readonly baseUrl: string;
}

/** The port over @actions/github's octokit; every list is paginated to the end. */
export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const octokit = getOctokit(options.token, { baseUrl: options.baseUrl });
  const repo = { owner: options.owner, repo: options.repo };
  return {
    async listIssueComments(issueNumber) {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: issueNumber,
        per_page: 100,
      });
      return comments.map((c) => ({ id: c.id, body: c.body ?? "" }));
    },
    async createIssueComment(issueNumber, body) {
      const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
      return { id: data.id, body: data.body ?? "" };
    },
    async updateIssueComment(commentId, body) {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
    },
    async listOpenIssues(label) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...repo,
        state: "open",
        labels: label,
        per_page: 100,
      });
      return issues
        .filter((issue) => issue.pull_request === undefined)
        .map((issue) => ({
          number: issue.number,
          body: issue.body ?? "",
          state: issue.state === "closed" ? "closed" : "open",
        }));
    },
    async createIssue(issue) {
      const { data } = await octokit.rest.issues.create({ ...repo, ...issue });
      return { number: data.number, body: data.body ?? "", state: "open" };
    },
    async updateIssue(issueNumber, change) {
      await octokit.rest.issues.update({ ...repo, issue_number: issueNumber, ...change });
    },
  };
}
