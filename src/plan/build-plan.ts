import type { Access } from "../model/access.js";
import type { DesiredGrant, DesiredState } from "../model/desired-state.js";
import type { Identity, LiveCollaborator } from "../model/live-state.js";
import type { Change, Plan, PlanWarning, ProjectPlan, UnmanagedCollaborator } from "../model/plan.js";
import { contributionSource, effectiveGrant, type EffectiveSource } from "./effective-access.js";
import { fingerprintCollaborators } from "./fingerprint.js";
import type { ResolvedProject } from "./resolve-projects.js";

export interface PlanInput {
  readonly desired: DesiredState;
  /** The projects to plan (already resolved and targeted), in file order, with their live lists. */
  readonly projects: readonly {
    readonly resolved: ResolvedProject;
    readonly live: readonly LiveCollaborator[];
  }[];
  readonly identity: Identity;
  readonly now: Date;
  readonly tool: { readonly name: string; readonly version: string };
  /** Warnings found while reading (e.g. a project name mismatch), put first in the plan. */
  readonly warnings?: readonly PlanWarning[];
}

export const PRUNE_SOURCE = "not declared, prune on";

/** Expiry is decided per UTC calendar day, so a plan means the same in every time zone. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function sameAccess(a: Access, b: Access): boolean {
  return a.permission === b.permission && a.liveControl === b.liveControl;
}

function accessOf(c: LiveCollaborator): Access {
  return { permission: c.permission, liveControl: c.liveControl };
}

function formatAccess(a: Access): string {
  return a.liveControl ? `${a.permission} + live control` : a.permission;
}

/** Grants more than before: read→write, or live control granted (from nothing for a create). */
export function isEscalation(before: Access | null, after: Access | null): boolean {
  if (after === null) return false;
  const gainsWrite = after.permission === "write" && before?.permission !== "write";
  const gainsLive = after.liveControl && before?.liveControl !== true;
  return gainsWrite || gainsLive;
}

/** Takes something away: removal, write→read, or live control withdrawn. */
export function isDowngrade(before: Access | null, after: Access | null): boolean {
  if (before === null) return false;
  if (after === null) return true;
  return (
    (before.permission === "write" && after.permission === "read") ||
    (before.liveControl && !after.liveControl)
  );
}

function byUser<T extends { readonly user: string }>(a: T, b: T): number {
  return a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
}

interface ProjectContext {
  readonly input: PlanInput;
  readonly today: string;
  readonly warnings: PlanWarning[];
}

function planProject(
  ctx: ProjectContext,
  resolved: ResolvedProject,
  live: readonly LiveCollaborator[],
): ProjectPlan {
  const { desired: project, projectId } = resolved;
  const name = resolved.liveName ?? project.ref.name ?? `#${projectId}`;
  const liveByUser = new Map(live.map((c) => [c.publicId, c]));
  const isSelf = (c: LiveCollaborator): boolean => c.uid !== null && c.uid === ctx.input.identity.uid;
  const creates: Change[] = [];
  const updates: Change[] = [];
  const deletes: Change[] = [];
  const declared = new Set<string>();
  const warnDays = ctx.input.desired.settings.expiryWarningDays;

  for (const grant of project.grants) {
    declared.add(grant.user);
    const current = liveByUser.get(grant.user);
    const effective = effectiveGrant(grant, ctx.today);
    if (effective.kind === "expired") {
      if (current !== undefined && !current.owner) {
        deletes.push({
          action: "delete",
          user: grant.user,
          before: accessOf(current),
          after: null,
          source: `expired on ${effective.expiredOn}`,
          escalation: false,
          selfLockout: isSelf(current),
        });
      } else if (current === undefined) {
        ctx.warnings.push({
          code: "W_EXPIRED_GRANT",
          message: `${grant.user} in "${name}": the grant expired on ${effective.expiredOn} and is no longer applied; its line can be removed`,
          projectId,
          user: grant.user,
          date: effective.expiredOn,
          source: lastExpiring(grant.contributions, effective.expiredOn),
        });
      }
      continue;
    }
    warnExpiringSoon(ctx, effective.sources, grant.user, name, projectId, warnDays);
    const after = effective.access;
    const cited = citation(effective.decidedBy);
    if (current?.owner === true) {
      // The owner's rights cannot be changed through the API; declaring the owner is fine.
      if (!sameAccess(accessOf(current), after)) {
        ctx.warnings.push({
          code: "W_OWNER_ACCESS",
          message: `${grant.user} owns "${name}" and keeps ${formatAccess(accessOf(current))}; the file asks for ${formatAccess(after)}, which is ignored`,
          projectId,
          user: grant.user,
          source: effective.decidedBy.source,
        });
      }
      continue;
    }
    if (current === undefined) {
      creates.push({
        action: "create",
        user: grant.user,
        before: null,
        after,
        ...cited,
        escalation: isEscalation(null, after),
        selfLockout: false,
      });
    } else if (!sameAccess(accessOf(current), after)) {
      const before = accessOf(current);
      updates.push({
        action: "update",
        user: grant.user,
        before,
        after,
        ...cited,
        escalation: isEscalation(before, after),
        selfLockout: isSelf(current) && isDowngrade(before, after),
      });
    }
  }

  const unmanaged: UnmanagedCollaborator[] = [];
  for (const c of live) {
    if (c.owner || declared.has(c.publicId)) continue;
    if (project.prune) {
      deletes.push({
        action: "delete",
        user: c.publicId,
        before: accessOf(c),
        after: null,
        source: PRUNE_SOURCE,
        escalation: false,
        selfLockout: isSelf(c),
      });
    } else {
      unmanaged.push({ user: c.publicId, access: accessOf(c) });
    }
  }

  return {
    projectId,
    name,
    fingerprint: fingerprintCollaborators(live),
    changes: [...creates.sort(byUser), ...updates.sort(byUser), ...deletes.sort(byUser)],
    unmanaged: unmanaged.sort(byUser),
  };
}

/** The line of the declaration that expired last: the one to delete from the file. */
function lastExpiring(contributions: DesiredGrant["contributions"], expiredOn: string): string {
  const last = contributions.find((c) => c.expires === expiredOn) ?? contributions[0];
  return last === undefined ? "" : contributionSource(last);
}

/** What a create or update cites from its deciding declaration: the line, the reason, the expiry. */
function citation(decidedBy: EffectiveSource): { source: string; reason?: string; expires?: string } {
  return {
    source: decidedBy.source,
    ...(decidedBy.reason === undefined ? {} : { reason: decidedBy.reason }),
    ...(decidedBy.expires === undefined ? {} : { expires: decidedBy.expires }),
  };
}

function warnExpiringSoon(
  ctx: ProjectContext,
  sources: readonly EffectiveSource[],
  user: string,
  projectName: string,
  projectId: number,
  warnDays: number,
): void {
  for (const s of sources) {
    if (s.expires === undefined) continue;
    const days = daysBetween(ctx.today, s.expires);
    if (days < 0 || days > warnDays) continue;
    const when = days === 0 ? "today is its last day" : `${days} day${days === 1 ? "" : "s"} left`;
    const via = s.via === "direct" ? "" : ` (via ${s.via})`;
    ctx.warnings.push({
      code: "W_EXPIRING_GRANT",
      message: `${user} in "${projectName}"${via}: the grant expires on ${s.expires} (${when})`,
      projectId,
      user,
      date: s.expires,
      source: s.source,
    });
  }
}

/**
 * The pure planner (DESIGN.md §2, §4): desired × live → Plan. All reading happens before; `now`
 * is passed in so the same inputs always give the same plan.
 */
export function buildPlan(input: PlanInput): Plan {
  const ctx: ProjectContext = { input, today: utcDay(input.now), warnings: [...(input.warnings ?? [])] };
  const projects = input.projects.map((p) => planProject(ctx, p.resolved, p.live));
  const count = (action: Change["action"]): number =>
    projects.reduce((n, p) => n + p.changes.filter((c) => c.action === action).length, 0);
  const { lock, codeSourceId, maxDeletions } = input.desired.settings;
  return {
    formatVersion: 1,
    createdAt: input.now.toISOString(),
    tool: { name: input.tool.name, version: input.tool.version },
    configDigest: input.desired.digest,
    configFile: input.desired.file,
    settings: { lock, codeSourceId, maxDeletions },
    summary: {
      create: count("create"),
      update: count("update"),
      delete: count("delete"),
      projects: projects.length,
      changedProjects: projects.filter((p) => p.changes.length > 0).length,
    },
    projects,
    warnings: ctx.warnings,
  };
}
