/** The pull request the workflow runs for, if any, as the Action needs it. */
export interface PullRequestRef {
  readonly number: number;
  /** The head branch lives in another repository: the run gets no secrets (GitHub's rule). */
  readonly fromFork: boolean;
}

interface PullRequestPayload {
  readonly pull_request?: {
    readonly number?: number;
    readonly head?: { readonly repo?: { readonly full_name?: string } | null };
  };
}

/**
 * Reads the pull request from the event payload (GITHUB_EVENT_PATH). A head repository that is
 * missing (a deleted fork) counts as a fork: when in doubt, no secrets.
 */
export function pullRequestOf(
  eventName: string,
  payload: unknown,
  repository: string,
): PullRequestRef | undefined {
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return undefined;
  const pr = (payload as PullRequestPayload).pull_request;
  if (pr?.number === undefined) return undefined;
  const head = pr.head?.repo?.full_name;
  return {
    number: pr.number,
    fromFork: head === undefined || head.toLowerCase() !== repository.toLowerCase(),
  };
}
