import type { Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import type { CliContext } from "./context.js";

// Placeholder registered so the CLI skeleton builds; replaced by the real command.
export function registerValidateCommand(program: Command, _ctx: CliContext): void {
  program.command("validate").action(() => {
    throw new QcCollabError("E_INTERNAL", "the validate command is not built yet");
  });
}
