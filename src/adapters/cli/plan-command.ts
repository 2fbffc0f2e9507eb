import { Option, type Command } from "commander";
import { planFromDesired } from "../../app/plan-from-desired.js";
import { DEFAULT_READ_CONCURRENCY } from "../../app/read-live-state.js";
import type { Plan } from "../../model/plan.js";
import { serializePlanFile } from "../../plan/plan-file.js";
import { renderPlanJson } from "../../report/plan-json.js";
import { renderPlanMarkdown } from "../../report/plan-markdown.js";
import { renderPlanText } from "../../report/plan-text.js";
import { EXIT } from "../exit-codes.js";
import { addConnectionOptions, connectToQuantConnect, type ConnectionFlags } from "./connect.js";
import { type CliContext, useColor } from "./context.js";
import { collect, DEFAULT_FILE, loadDesiredOrFail, parseCount, writeTextFile } from "./plan-support.js";

interface PlanFlags extends ConnectionFlags {
  readonly file: string;
  readonly out?: string;
  readonly format: "text" | "markdown" | "json";
  readonly detailedExitcode?: boolean;
  readonly target: string[];
  readonly concurrency: number;
}

export function renderPlan(plan: Plan, format: PlanFlags["format"], color: boolean): string {
  if (format === "json") return renderPlanJson(plan);
  if (format === "markdown") return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color });
}

export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}

/** `qc-collab plan`: validate, read live state, show what apply would change (DESIGN.md §3, §4). */
export function registerPlanCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("plan")
    .description("show what apply would change, without changing anything")
    .option("-f, --file <FILE>", "desired-state file", DEFAULT_FILE)
    .option("--out <PLANFILE>", "also save the plan, for `qc-collab apply PLANFILE`")
    .addOption(
      new Option("--format <FORMAT>", "output format").choices(["text", "markdown", "json"]).default("text"),
    )
    .option("--detailed-exitcode", "exit 0 when there are no changes, 2 when there are, 1 on error")
    .option("--target <ID|NAME>", "plan only this declared project (repeatable)", collect, [])
    .option(
      "--concurrency <N>",
      "collaborator reads in flight at once",
      parseCount("--concurrency", 1),
      DEFAULT_READ_CONCURRENCY,
    );
  addConnectionOptions(command).action(async (flags: PlanFlags) => {
    const desired = await loadDesiredOrFail(ctx, flags.file);
    const connection = await connectToQuantConnect(ctx, flags);
    let plan: Plan;
    try {
      ({ plan } = await planFromDesired({
        desired,
        api: connection.api,
        identity: connection.identity,
        targets: flags.target,
        concurrency: flags.concurrency,
        now: new Date(),
      }));
    } finally {
      await connection.close();
    }
    ctx.stdout.write(renderPlan(plan, flags.format, useColor(ctx)));
    if (flags.out !== undefined) {
      await writeTextFile(ctx, flags.out, serializePlanFile(plan), { overwrite: true });
      ctx.stderr.write(
        `Saved the plan to ${flags.out}. Apply exactly this plan with: qc-collab apply ${flags.out}\n`,
      );
    }
    ctx.exitCode = flags.detailedExitcode === true && hasChanges(plan) ? EXIT.changesPresent : EXIT.ok;
  });
}
