import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { Option, type Command } from "commander";
import { applyPlan, type ApplyOptions, type ApplyProgress } from "../../apply/apply-plan.js";
import { assertGuards } from "../../apply/guards.js";
import { gateApi } from "../../apply/shutdown-gate.js";
import { DEFAULT_JOURNAL_PATH, openFileJournal, type JournalSink } from "../../apply/journal.js";
import { readFreshPlanState } from "../../app/apply-saved-plan.js";
import { journalActor, journalCommit } from "../../app/journal-identity.js";
import { planFromDesired } from "../../app/plan-from-desired.js";
import type { ApplyResult } from "../../model/apply-result.js";
import { QcCollabError } from "../../model/errors.js";
import type { LiveCollaborator } from "../../model/live-state.js";
import type { Plan } from "../../model/plan.js";
import { parsePlanFile } from "../../plan/plan-file.js";
import { renderApplyJson } from "../../report/apply-json.js";
import { renderApplyText } from "../../report/apply-text.js";
import { renderPlanText } from "../../report/plan-text.js";
import { EXIT } from "../exit-codes.js";
import {
  addConnectionOptions,
  connectToQuantConnect,
  type Connection,
  type ConnectionFlags,
} from "./connect.js";
import { type CliContext, useColor } from "./context.js";
import { watchInterrupts } from "./interrupt.js";
import { hasChanges } from "./plan-command.js";
import {
  collect,
  DEFAULT_FILE,
  inCwd,
  loadDesiredOrFail,
  parseCount,
  readTextFile,
  stderrIsInteractive,
} from "./plan-support.js";

interface ApplyFlags extends ConnectionFlags {
  readonly file?: string;
  readonly autoApprove?: boolean;
  readonly target: string[];
  readonly concurrency: number;
  readonly maxDeletions?: number;
  /** false only with --no-lock; the plan's setting applies otherwise. */
  readonly lock: boolean;
  readonly codeSourceId?: string;
  readonly journal: string;
  readonly format: "text" | "json";
}

function gitHead(cwd: string): () => Promise<string | null> {
  return () =>
    new Promise((resolve) => {
      execFile("git", ["rev-parse", "HEAD"], { cwd, timeout: 5_000 }, (error, stdout) => {
        resolve(error === null ? stdout.trim() || null : null);
      });
    });
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Terraform's rule: only the literal answer `yes` applies. */
async function confirm(ctx: CliContext): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: false });
  try {
    // Listen before prompting: an answer typed ahead (or piped) must not be lost.
    const answer = new Promise<string>((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => {
        resolve("");
      });
    });
    ctx.stderr.write("\nDo you want to apply these changes? Only 'yes' will be accepted.\n  Enter a value: ");
    return (await answer).trim() === "yes";
  } finally {
    rl.close();
  }
}

/** One rewritten line on an interactive stderr: `applying 12/40 changes (3 of 9 projects done)`. */
function progressReporter(ctx: CliContext): ((event: ApplyProgress) => void) | undefined {
  if (!stderrIsInteractive(ctx)) return undefined;
  let projectsDone = 0;
  let last = "";
  return (event) => {
    if (event.kind === "project-done") projectsDone += 1;
    if (event.kind !== "change" && event.kind !== "project-done") return;
    const done = event.kind === "change" ? `${event.done}/${event.total} changes` : last;
    last = done;
    ctx.stderr.write(`\r\u001b[2Kapplying ${done} (${projectsDone} projects done)`);
    if (event.kind === "change" && event.done === event.total) ctx.stderr.write("\r\u001b[2K");
  };
}

function looksLikePlanFile(path: string): boolean {
  return path.toLowerCase().endsWith(".json");
}

/** `qc-collab apply`: plan (or load a saved plan), confirm, guard, lock, write, verify, journal. */
export function registerApplyCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("apply")
    .description("make QuantConnect match the file (or apply a plan saved with `plan --out`)")
    .argument("[PLANFILE]", "a plan saved by `qc-collab plan --out`, applied exactly as reviewed")
    .option("-f, --file <FILE>", `desired-state file (default ${DEFAULT_FILE})`)
    .option("--auto-approve", "apply without asking (required without a terminal)")
    .option("--target <ID|NAME>", "apply only this declared project (repeatable)", collect, [])
    .option("--concurrency <N>", "projects applied at once", parseCount("--concurrency", 1), 4)
    .option(
      "--max-deletions <N>",
      "stop before any write if more collaborators would be removed",
      parseCount("--max-deletions", 0),
    )
    .option("--no-lock", "do not acquire the project lock before editing")
    .option("--code-source-id <ID>", "codeSourceId sent with lock/acquire (default: settings.codeSourceId)")
    .option("--journal <FILE>", "append every operation to this JSON-lines file", DEFAULT_JOURNAL_PATH)
    .addOption(new Option("--format <FORMAT>", "output format").choices(["text", "json"]).default("text"));
  addConnectionOptions(command).action(async (planFile: string | undefined, flags: ApplyFlags) => {
    if (planFile !== undefined && flags.file !== undefined) {
      throw new QcCollabError("E_USAGE", "give either a saved plan or -f FILE, not both");
    }
    if (planFile !== undefined && flags.target.length > 0) {
      throw new QcCollabError(
        "E_USAGE",
        "--target cannot narrow a saved plan: it is applied exactly as reviewed",
        {
          hint: "make the plan with `qc-collab plan --target ... --out FILE` instead",
        },
      );
    }
    if (planFile !== undefined && !looksLikePlanFile(planFile)) {
      throw new QcCollabError("E_USAGE", `${planFile} does not look like a saved plan (.json)`, {
        hint: `to apply a desired-state file, use -f ${planFile}`,
      });
    }
    const saved =
      planFile === undefined
        ? undefined
        : parsePlanFile(await readTextFile(ctx, planFile, "plan file"), planFile);
    const desired =
      saved === undefined ? await loadDesiredOrFail(ctx, flags.file ?? DEFAULT_FILE) : undefined;
    const interactive = ctx.stdin.isTTY === true;
    if (flags.autoApprove !== true && !interactive) {
      throw new QcCollabError(
        "E_USAGE",
        "apply needs approval: no terminal to ask, and --auto-approve was not given",
        {
          hint: "review the plan with `qc-collab plan`, then run `qc-collab apply --auto-approve`",
        },
      );
    }
    const connection = await connectToQuantConnect(ctx, flags);
    try {
      let plan: Plan;
      let live: ReadonlyMap<number, readonly LiveCollaborator[]> | undefined;
      if (saved !== undefined) {
        plan = saved;
      } else if (desired !== undefined) {
        ({ plan, live } = await planFromDesired({
          desired,
          api: connection.api,
          identity: connection.identity,
          targets: flags.target,
          concurrency: Math.max(flags.concurrency, 8),
          now: new Date(),
        }));
      } else {
        throw new QcCollabError("E_INTERNAL", "neither a plan nor a desired state");
      }
      await run(ctx, flags, connection, plan, live, saved !== undefined);
    } finally {
      await connection.close();
    }
  });
}

async function run(
  ctx: CliContext,
  flags: ApplyFlags,
  connection: Connection,
  plan: Plan,
  live: ReadonlyMap<number, readonly LiveCollaborator[]> | undefined,
  isSaved: boolean,
): Promise<void> {
  const json = flags.format === "json";
  // With --format json, stdout carries the JSON alone: the plan a person reads goes to stderr.
  const planOut = json ? ctx.stderr : ctx.stdout;
  planOut.write(renderPlanText(plan, { color: json ? stderrIsInteractive(ctx) : useColor(ctx) }));
  if (!hasChanges(plan)) {
    if (json) ctx.stdout.write(renderApplyJson(plan, emptyResult()));
    else ctx.stdout.write("No changes.\n");
    ctx.exitCode = EXIT.ok;
    return;
  }
  const maxDeletions = flags.maxDeletions ?? plan.settings.maxDeletions;
  assertGuards(plan, { maxDeletions });
  // A saved plan is checked against live state BEFORE anybody is asked to approve it, so nobody
  // says `yes` to a plan that is then refused; apply verifies against these same reads.
  const verifyAgainst = isSaved ? await readFreshPlanState(plan, connection.api) : live;
  if (flags.autoApprove !== true && !(await confirm(ctx))) {
    throw new QcCollabError("E_USAGE", "apply cancelled: nothing was changed");
  }
  // Watch for signals before the journal exists: a Ctrl-C from here on is always handled (nothing
  // started yet → everything skipped), never lost between opening the journal and the first call.
  const interruption = watchInterrupts(ctx, (signal) => {
    ctx.stderr.write(
      `\n${signal}: stopping; the calls in flight finish, no new one starts (${signal} again to exit now).\n`,
    );
  });
  let journal: JournalSink;
  try {
    journal = await openFileJournal(inCwd(ctx, flags.journal));
  } catch (error) {
    interruption.dispose();
    throw error;
  }
  let result: ApplyResult;
  try {
    const options: ApplyOptions = {
      // The same gate as the reconciler's: after a signal, changes not yet started are skipped.
      api: gateApi(connection.api, () => interruption.signal() !== undefined, "interrupted"),
      concurrency: flags.concurrency,
      maxDeletions,
      ...(flags.lock ? {} : { lock: false }),
      ...(flags.codeSourceId === undefined ? {} : { codeSourceId: flags.codeSourceId }),
      journal,
      actor: journalActor(ctx.env, osUser()),
      commit: await journalCommit(ctx.env, gitHead(ctx.cwd)),
    };
    const progress = progressReporter(ctx);
    const withProgress = progress === undefined ? options : { ...options, onProgress: progress };
    result = await applyPlan(plan, {
      ...withProgress,
      ...(verifyAgainst === undefined ? {} : { live: verifyAgainst }),
    });
  } finally {
    interruption.dispose();
    await journal.close();
  }
  if (json) ctx.stdout.write(renderApplyJson(plan, result));
  else ctx.stdout.write(`\n${renderApplyText(result, { color: useColor(ctx) })}`);
  ctx.stderr.write(`Journal: ${flags.journal}\n`);
  const interrupted = interruption.signal() !== undefined && result.counts.skipped > 0;
  if (interrupted) {
    ctx.stderr.write(
      `Interrupted: ${result.counts.skipped} change${result.counts.skipped === 1 ? "" : "s"} not attempted; run apply again to finish.\n`,
    );
  }
  ctx.exitCode = exitCodeForResult(result, interrupted);
}

/** Interrupted before anything was written: an error (1), like a cancel; otherwise partial (3). */
function exitCodeForResult(result: ApplyResult, interrupted: boolean): number {
  if (result.status === "applied" || result.status === "no-changes") return EXIT.ok;
  return interrupted && result.counts.applied === 0 ? EXIT.error : EXIT.applyPartlyFailed;
}

function emptyResult(): ApplyResult {
  const now = new Date().toISOString();
  return {
    formatVersion: 1,
    status: "no-changes",
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    counts: { applied: 0, failed: 0, skipped: 0 },
    projects: [],
  };
}
