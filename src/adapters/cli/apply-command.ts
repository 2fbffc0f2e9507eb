import type { Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import type { CliContext } from "./context.js";

// Placeholder registered so the CLI skeleton builds; replaced by the real command.
export function registerApplyCommand(program: Command, _ctx: CliContext): void {
  program.command("apply").action(() => {
    throw new QcCollabError("E_INTERNAL", "the apply command is not built yet");
  });
}
