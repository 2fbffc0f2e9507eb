import { Command, CommanderError } from "commander";
import { QcCollabError } from "../../model/errors.js";
import { exitCodeFor, EXIT } from "../exit-codes.js";
import { type CliIo, type CliContext, processIo } from "./context.js";
import { printError } from "./print-error.js";
import { TOOL_VERSION } from "../../version.js";
import { registerValidateCommand } from "./validate-command.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerApplyCommand } from "./apply-command.js";
import { registerImportCommand } from "./import-command.js";
import { registerLockCommand } from "./lock-command.js";
import { registerWhoamiCommand } from "./whoami-command.js";
import { registerReconcileCommand } from "./reconcile-command.js";
import { registerSandboxCommand } from "./sandbox-command.js";

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("qc-collab")
    .description("GitOps for QuantConnect project collaborators")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  registerValidateCommand(program, ctx);
  registerPlanCommand(program, ctx);
  registerApplyCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerLockCommand(program, ctx);
  registerWhoamiCommand(program, ctx);
  registerReconcileCommand(program, ctx);
  registerSandboxCommand(program, ctx);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  }
  return program;
}

/** Runs the CLI and returns its exit code; never throws, never prints a stack trace by default. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx: CliContext = { ...io, exitCode: EXIT.ok };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    printError(io, error);
    return exitCodeFor(error);
  }
}

/** For commands: a usage problem that commander cannot see (e.g. mutually exclusive options). */
export function usageError(message: string): QcCollabError {
  return new QcCollabError("E_USAGE", message);
}
