import type { DesiredProject, DesiredState } from "../model/desired-state.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { QcCollabError } from "../model/errors.js";
import type { ProjectSummary } from "../model/live-state.js";
import { formatLocation } from "../model/source-location.js";
import { closestMatch } from "../util/did-you-mean.js";

export interface ResolvedProject {
  readonly desired: DesiredProject;
  readonly projectId: number;
  /** The name QuantConnect reports, when the project list was read. */
  readonly liveName: string | undefined;
}

export interface ResolveResult {
  readonly resolved: ResolvedProject[];
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

/** The name the file gives a project, if any. */
export function declaredName(project: DesiredProject): string | undefined {
  return project.ref.name;
}

/**
 * Whether `/projects/read` must be called: a project declared by name needs it to be resolved,
 * and a project declared by id with a name needs it for the name check. Files that only use ids
 * cost no extra request.
 */
export function needsProjectList(desired: DesiredState): boolean {
  return desired.projects.some((p) => p.ref.name !== undefined);
}

function listIds(projects: readonly ProjectSummary[]): string {
  return projects.map((p) => `#${p.projectId}`).join(", ");
}

/**
 * Turns every declared project into a project id. `listed` is the result of `/projects/read`, or
 * undefined when `needsProjectList` said it is not needed. Diagnostics point at the project entry.
 */
export function resolveProjects(
  desired: DesiredState,
  listed: readonly ProjectSummary[] | undefined,
): ResolveResult {
  const resolved: ResolvedProject[] = [];
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const byId = new Map<number, ProjectSummary>();
  const byName = new Map<string, ProjectSummary[]>();
  for (const p of listed ?? []) {
    byId.set(p.projectId, p);
    byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  }
  const claimed = new Map<number, DesiredProject>();

  for (const project of desired.projects) {
    const location = project.source;
    let projectId: number;
    if (project.ref.kind === "id") {
      projectId = project.ref.projectId;
      const liveName = byId.get(projectId)?.name;
      if (project.ref.name !== undefined && liveName !== undefined && liveName !== project.ref.name) {
        warnings.push({
          severity: "warning",
          code: "W_PROJECT_NAME_MISMATCH",
          message: `project #${projectId} is named "${liveName}" in QuantConnect, not "${project.ref.name}"`,
          location,
        });
      }
    } else {
      if (listed === undefined) {
        throw new QcCollabError(
          "E_INTERNAL",
          `project "${project.ref.name}" is declared by name but the project list was not read`,
        );
      }
      const matches = byName.get(project.ref.name) ?? [];
      const only = matches[0];
      if (matches.length > 1 || only === undefined) {
        errors.push(nameError(project.ref.name, matches, listed, location));
        continue;
      }
      projectId = only.projectId;
    }
    const first = claimed.get(projectId);
    if (first !== undefined) {
      errors.push({
        severity: "error",
        code: "E_PROJECT_DUPLICATE",
        message: `this entry resolves to project #${projectId}, already declared at ${formatLocation(first.source)}`,
        location,
      });
      continue;
    }
    claimed.set(projectId, project);
    resolved.push({ desired: project, projectId, liveName: byId.get(projectId)?.name });
  }
  return { resolved, errors, warnings };
}

function nameError(
  name: string,
  matches: readonly ProjectSummary[],
  listed: readonly ProjectSummary[],
  location: DesiredProject["source"],
): Diagnostic {
  if (matches.length > 1) {
    return {
      severity: "error",
      code: "E_PROJECT_AMBIGUOUS",
      message: `project name "${name}" matches ${matches.length} projects (${listIds(matches)}); declare it by id`,
      location,
    };
  }
  const suggestion = closestMatch(
    name,
    listed.map((p) => p.name),
  );
  const hint = suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
  return {
    severity: "error",
    code: "E_PROJECT_NOT_FOUND",
    message: `no project named "${name}" is visible to these credentials${hint}`,
    location,
  };
}

/**
 * `--target ID|NAME`: keeps the projects named by id, live name or declared name, in file order.
 * Targets that match nothing are returned so the caller can refuse them (a typo must not widen or
 * silently empty the plan).
 */
export function selectTargets(
  resolved: readonly ResolvedProject[],
  targets: readonly string[],
): { selected: ResolvedProject[]; unknown: string[] } {
  const matchesTarget = (project: ResolvedProject, target: string): boolean =>
    String(project.projectId) === target.trim().replace(/^#/, "") ||
    project.liveName === target ||
    declaredName(project.desired) === target;
  const selected = resolved.filter((project) => targets.some((t) => matchesTarget(project, t)));
  const unknown = targets.filter((t) => !resolved.some((project) => matchesTarget(project, t)));
  return { selected, unknown };
}
