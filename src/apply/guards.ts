import { QcCollabError } from "../model/errors.js";
import type { Plan } from "../model/plan.js";
import { evaluateGuards } from "../plan/guards.js";
import { projectLabel } from "./project-label.js";

/**
 * Throws E_GUARD (exit 4) when the plan breaks a safety guard, before apply makes any call. The
 * message lists every violation, so one run tells the whole story; the hint says how to proceed.
 */
export function assertGuards(plan: Plan, options: { readonly maxDeletions: number }): void {
  const violations = evaluateGuards(plan, options);
  if (violations.length === 0) return;
  const tooMany = violations.some((v) => v.code === "max-deletions");
  const selfLockout = violations.some((v) => v.code === "self-lockout");
  const details = violations.map((v) => v.message);
  if (tooMany) {
    const removals = plan.projects.flatMap((p) =>
      p.changes.filter((c) => c.action === "delete").map((c) => `remove ${c.user} from ${projectLabel(p)}`),
    );
    details.push(...removals.map((r) => `  ${r}`));
  }
  const hints: string[] = [];
  if (tooMany) {
    hints.push(
      `if these removals are intended, raise the limit for this run with --max-deletions ${plan.summary.delete} (or settings.maxDeletions in the file)`,
    );
  }
  if (selfLockout) {
    hints.push("declare your own account with at least its current access, or apply with another account");
  }
  throw new QcCollabError(
    "E_GUARD",
    `apply stopped by ${violations.length === 1 ? "a safety guard" : `${violations.length} safety guards`} before any change was made`,
    { details, hint: hints.join("; ") },
  );
}
