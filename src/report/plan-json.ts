import type { Access } from "../model/access.js";
import type { Change, Plan, PlanWarning, ProjectPlan } from "../model/plan.js";

function access(a: Access | null): Access | null {
  return a === null ? null : { permission: a.permission, liveControl: a.liveControl };
}

function change(c: Change): Change {
  return {
    action: c.action,
    user: c.user,
    before: access(c.before),
    after: access(c.after),
    source: c.source,
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    ...(c.expires === undefined ? {} : { expires: c.expires }),
    escalation: c.escalation,
    selfLockout: c.selfLockout,
  };
}

function project(p: ProjectPlan): ProjectPlan {
  return {
    projectId: p.projectId,
    name: p.name,
    fingerprint: p.fingerprint,
    changes: p.changes.map(change),
    unmanaged: p.unmanaged.map((u) => ({ user: u.user, access: access(u.access) ?? u.access })),
  };
}

function warning(w: PlanWarning): PlanWarning {
  return {
    code: w.code,
    message: w.message,
    ...(w.projectId === undefined ? {} : { projectId: w.projectId }),
    ...(w.user === undefined ? {} : { user: w.user }),
    ...(w.date === undefined ? {} : { date: w.date }),
    ...(w.source === undefined ? {} : { source: w.source }),
  };
}

/**
 * `--format json`: the versioned contract of docs/plan-format.md (formatVersion 1). Rebuilt field
 * by field so the key order is fixed and nothing outside the contract leaks into the output.
 */
export function renderPlanJson(plan: Plan): string {
  const contract: Plan = {
    formatVersion: plan.formatVersion,
    createdAt: plan.createdAt,
    tool: { name: plan.tool.name, version: plan.tool.version },
    configDigest: plan.configDigest,
    configFile: plan.configFile,
    settings: {
      lock: plan.settings.lock,
      codeSourceId: plan.settings.codeSourceId,
      maxDeletions: plan.settings.maxDeletions,
    },
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      delete: plan.summary.delete,
      projects: plan.summary.projects,
      changedProjects: plan.summary.changedProjects,
    },
    projects: plan.projects.map(project),
    warnings: plan.warnings.map(warning),
  };
  return `${JSON.stringify(contract, null, 2)}\n`;
}
