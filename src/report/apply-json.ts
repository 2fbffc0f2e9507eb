import type { ApplyResult } from "../model/apply-result.js";
import type { Plan } from "../model/plan.js";

/**
 * `apply --format json`: the plan that was applied and the versioned result, on stdout alone.
 * Stable: formatVersion changes when a field changes meaning or goes away.
 */
export function renderApplyJson(plan: Plan, result: ApplyResult): string {
  return `${JSON.stringify({ formatVersion: 1, plan, result }, null, 2)}\n`;
}
