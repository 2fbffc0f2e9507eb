import type { DesiredState } from "../model/desired-state.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { QcCollabError } from "../model/errors.js";
import type { Identity, LiveCollaborator } from "../model/live-state.js";
import type { Plan, PlanWarning } from "../model/plan.js";
import { formatLocation } from "../model/source-location.js";
import { buildPlan } from "../plan/build-plan.js";
import { needsProjectList, resolveProjects, selectTargets } from "../plan/resolve-projects.js";
import type { QuantConnectApi } from "../qc/api.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { DEFAULT_READ_CONCURRENCY, readLiveState } from "./read-live-state.js";

export interface PlanFromDesiredOptions {
  readonly desired: DesiredState;
  readonly api: QuantConnectApi;
  /** The authenticated user (self-lockout guard). */
  readonly identity: Identity;
  /** `--target ID|NAME`: plan only these projects; an unknown target is an error (E_USAGE). */
  readonly targets?: readonly string[];
  /** Collaborator reads in flight at once (default 8). */
  readonly concurrency?: number;
  readonly now: Date;
  readonly tool?: { readonly name: string; readonly version: string };
}

export interface PlanFromDesiredResult {
  readonly plan: Plan;
  /** Warnings from resolving projects against QuantConnect (e.g. a name that differs). */
  readonly diagnostics: readonly Diagnostic[];
  /** The live collaborator lists the plan was built from: pass them to applyPlan for verification. */
  readonly live: ReadonlyMap<number, readonly LiveCollaborator[]>;
}

function toPlanWarning(d: Diagnostic): PlanWarning {
  return { code: d.code, message: d.message, source: `${d.location.file}:${d.location.line}` };
}

/**
 * Reads what the plan needs and builds it: one /projects/read only when a project is declared by
 * name or a `--target` is not an id, then one collaboration/read per targeted project, then the pure planner. Resolution errors
 * (a name matching zero or several projects, an unknown target) are thrown before anything else.
 */
export async function planFromDesired(options: PlanFromDesiredOptions): Promise<PlanFromDesiredResult> {
  const { desired, api } = options;
  const targets = options.targets ?? [];
  // A target that is not an id may be a project's QuantConnect name, known only from the list.
  const targetsByName = targets.some((t) => !/^#?\d+$/.test(t.trim()));
  const listed = needsProjectList(desired) || targetsByName ? await api.listProjects() : undefined;
  const resolution = resolveProjects(desired, listed);
  if (resolution.errors.length > 0) {
    const count = resolution.errors.length;
    throw new QcCollabError(
      "E_CONFIG_RULE",
      `${count} project${count === 1 ? "" : "s"} in ${desired.file} could not be resolved in QuantConnect`,
      { details: resolution.errors.map((d) => `${formatLocation(d.location)}: ${d.message} (${d.code})`) },
    );
  }
  let projects = resolution.resolved;
  if (targets.length > 0) {
    const { selected, unknown } = selectTargets(projects, targets);
    if (unknown.length > 0) {
      throw new QcCollabError(
        "E_USAGE",
        `--target ${unknown.map((t) => JSON.stringify(t)).join(", ")} matches no project declared in ${desired.file}`,
        { hint: "a target is a declared project's id or name" },
      );
    }
    projects = selected;
  }
  const live = await readLiveState(api, projects, {
    concurrency: options.concurrency ?? DEFAULT_READ_CONCURRENCY,
  });
  const plan = buildPlan({
    desired,
    projects: projects.map((resolved) => ({ resolved, live: live.get(resolved.projectId) ?? [] })),
    identity: options.identity,
    now: options.now,
    tool: options.tool ?? { name: TOOL_NAME, version: TOOL_VERSION },
    warnings: resolution.warnings.map(toPlanWarning),
  });
  return { plan, diagnostics: resolution.warnings, live };
}
