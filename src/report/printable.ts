import type { ApplyResult, ChangeResult, ErrorSummary } from "../model/apply-result.js";
import type { Change, Plan } from "../model/plan.js";

// C0 and C1 controls (ESC among them), and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text from outside (project names from QuantConnect, reasons from the YAML, API error messages)
 * reaches a terminal: a control character could recolour it, move the cursor or fake a line of
 * the plan. They are shown as visible `\u001b` escapes instead.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function printableChange(change: Change): Change {
  return {
    ...change,
    user: printable(change.user),
    source: printable(change.source),
    ...(change.reason === undefined ? {} : { reason: printable(change.reason) }),
  };
}

function printableError(error: ErrorSummary | undefined): { error?: ErrorSummary } {
  return error === undefined ? {} : { error: { ...error, message: printable(error.message) } };
}

/** The plan with every outside string made printable, for the terminal renderers. */
export function printablePlan(plan: Plan): Plan {
  return {
    ...plan,
    projects: plan.projects.map((project) => ({
      ...project,
      name: printable(project.name),
      changes: project.changes.map(printableChange),
      unmanaged: project.unmanaged.map((u) => ({ ...u, user: printable(u.user) })),
    })),
    warnings: plan.warnings.map((w) => ({
      ...w,
      message: printable(w.message),
      ...(w.source === undefined ? {} : { source: printable(w.source) }),
    })),
  };
}

/** The apply result with every outside string made printable, for the terminal renderer. */
export function printableApplyResult(result: ApplyResult): ApplyResult {
  return {
    ...result,
    projects: result.projects.map((project) => ({
      ...project,
      name: printable(project.name),
      changes: project.changes.map((c): ChangeResult => ({
        ...c,
        change: printableChange(c.change),
        ...printableError(c.error),
      })),
      ...printableError(project.error),
    })),
  };
}
