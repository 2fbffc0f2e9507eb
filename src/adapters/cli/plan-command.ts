import type { Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import type { CliContext } from "./context.js";

// Placeholder registered so the CLI skeleton builds; replaced by the real command.
export function registerPlanCommand(program: Command, _ctx: CliContext): void {
  program.command("plan").action(() => {
    throw new QcCollabError("E_INTERNAL", "the plan command is not built yet");
  });
}
