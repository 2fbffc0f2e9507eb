import type { Access } from "../model/access.js";
import type { Change, ChangeAction, Plan, ProjectPlan } from "../model/plan.js";

/** `read`, `write`, `write + live control`: the words reviewers see in every rendering. */
export function formatAccess(access: Access): string {
  return access.liveControl ? `${access.permission} + live control` : access.permission;
}

/** What a change does to access, in one phrase: `write`, `read → write`, `write` (removed). */
export function describeChangeAccess(change: Change): string {
  if (change.action === "update" && change.before !== null && change.after !== null) {
    return `${formatAccess(change.before)} → ${formatAccess(change.after)}`;
  }
  const access = change.after ?? change.before;
  return access === null ? "" : formatAccess(access);
}

export const ACTION_SYMBOL: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  delete: "-",
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The summary line, the one sentence every rendering starts or ends with:
 * `Plan: 3 to add, 1 to change, 1 to remove, in 3 of 5 projects.`
 * or `No changes. 5 projects match collaborators.yaml.`
 */
export function summaryLine(plan: Plan): string {
  const { create, update, delete: remove, projects, changedProjects } = plan.summary;
  if (create + update + remove === 0) {
    const verb = projects === 1 ? "matches" : "match";
    return `No changes. ${plural(projects, "project")} ${verb} ${plan.configFile}.`;
  }
  return `Plan: ${create} to add, ${update} to change, ${remove} to remove, in ${changedProjects} of ${plural(projects, "project")}.`;
}

export function countEscalations(plan: Plan): number {
  return plan.projects.reduce((n, p) => n + p.changes.filter((c) => c.escalation).length, 0);
}

export function countSelfLockouts(plan: Plan): number {
  return plan.projects.reduce((n, p) => n + p.changes.filter((c) => c.selfLockout).length, 0);
}

/** Said wherever the summary is, because apply will refuse the plan (exit 4). */
export function selfLockoutNotice(plan: Plan): string | undefined {
  const n = countSelfLockouts(plan);
  if (n === 0) return undefined;
  return `${n === 1 ? "1 change removes or downgrades" : `${n} changes remove or downgrade`} the authenticated user: apply will refuse this plan (exit 4).`;
}

export interface PersonChange {
  readonly project: Pick<ProjectPlan, "projectId" | "name">;
  readonly change: Change;
}

export interface PersonView {
  readonly user: string;
  readonly changes: readonly PersonChange[];
}

/** Who gains or loses what, across projects: one entry per user, users sorted, projects in plan order. */
export function perPerson(plan: Plan): PersonView[] {
  const byUser = new Map<string, PersonChange[]>();
  for (const project of plan.projects) {
    for (const change of project.changes) {
      const list = byUser.get(change.user) ?? [];
      list.push({ project: { projectId: project.projectId, name: project.name }, change });
      byUser.set(change.user, list);
    }
  }
  return [...byUser.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((user) => ({ user, changes: byUser.get(user) ?? [] }));
}

/** `until 2027-03-31`: a temporary grant, said next to the change so a reviewer cannot miss it. */
export function expiryNote(change: Change): string | undefined {
  return change.expires === undefined ? undefined : `until ${change.expires}`;
}

/**
 * `+ write in Stat Arb Pairs`, `~ read → write in Momentum Alpha`, `- write in Stat Arb Pairs`,
 * `+ read in Momentum Alpha until 2027-03-31`.
 */
export function describePersonChange(item: PersonChange): string {
  const text = `${ACTION_SYMBOL[item.change.action]} ${describeChangeAccess(item.change)} in ${item.project.name}`;
  const until = expiryNote(item.change);
  return until === undefined ? text : `${text} ${until}`;
}
