import type { Access } from "../model/access.js";
import type { DesiredGrant, GrantContribution } from "../model/desired-state.js";

/** One declaration that takes part in a user's effective access, in the form plans cite it. */
export interface EffectiveSource {
  /** `file:line` of the declaration (the user's line in the project or in the team). */
  readonly source: string;
  readonly via: "direct" | `team ${string}`;
  readonly access: Access;
  readonly expires?: string;
  readonly reason?: string;
}

export type EffectiveGrant =
  | {
      readonly kind: "active";
      readonly user: string;
      readonly access: Access;
      /** The declaration cited by a create or update: the one that grants the most. */
      readonly decidedBy: EffectiveSource;
      /** Every live declaration the access is the union of (one for a direct entry). */
      readonly sources: readonly EffectiveSource[];
    }
  | {
      readonly kind: "expired";
      readonly user: string;
      /** The last day any contribution was valid: the latest `expires` among them. */
      readonly expiredOn: string;
    };

/** `file:line`: plans cite lines, not columns, as reviewers read them. */
export function contributionSource(contribution: GrantContribution): string {
  return `${contribution.source.file}:${contribution.source.line}`;
}

/**
 * `expires` is the last day the grant is desired; it is expired from the next day on. Dates are
 * ISO `YYYY-MM-DD`, so string order is date order.
 */
export function isExpired(contribution: GrantContribution, today: string): boolean {
  return contribution.expires !== undefined && contribution.expires < today;
}

function toSource(contribution: GrantContribution): EffectiveSource {
  return {
    source: contributionSource(contribution),
    via: contribution.via.kind === "direct" ? "direct" : `team ${contribution.via.team}`,
    access: contribution.access,
    ...(contribution.expires === undefined ? {} : { expires: contribution.expires }),
    ...(contribution.reason === undefined ? {} : { reason: contribution.reason }),
  };
}

function rank(access: Access): number {
  return (access.permission === "write" ? 2 : 0) + (access.liveControl ? 1 : 0);
}

/**
 * Effective access of one user in one project on `today` (DESIGN.md §2): a live direct entry wins;
 * otherwise the union of live team contributions (write beats read, liveControl true beats false).
 *
 * An expired direct entry does not hide the teams: it falls back to the union of the live team
 * contributions, as if the direct line had been deleted. Expiry means "this line is no longer
 * desired", and deleting the line would leave the team access in place too.
 */
export function effectiveGrant(grant: DesiredGrant, today: string): EffectiveGrant {
  const live = grant.contributions.filter((c) => !isExpired(c, today));
  if (live.length === 0) {
    const expiredOn = grant.contributions
      .map((c) => c.expires ?? "")
      .reduce((latest, date) => (date > latest ? date : latest), "");
    return { kind: "expired", user: grant.user, expiredOn };
  }
  const direct = live.find((c) => c.via.kind === "direct");
  if (direct !== undefined) {
    const source = toSource(direct);
    return { kind: "active", user: grant.user, access: direct.access, decidedBy: source, sources: [source] };
  }
  const access: Access = {
    permission: live.some((c) => c.access.permission === "write") ? "write" : "read",
    liveControl: live.some((c) => c.access.liveControl),
  };
  // Cite the first contribution that grants the most: it explains most of the access on its own.
  let decider = live[0] as GrantContribution;
  for (const c of live) if (rank(c.access) > rank(decider.access)) decider = c;
  return {
    kind: "active",
    user: grant.user,
    access,
    decidedBy: toSource(decider),
    sources: live.map(toSource),
  };
}
