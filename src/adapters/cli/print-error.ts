import { isQcCollabError } from "../../model/errors.js";
import type { CliIo } from "./context.js";

/** Errors reach the user as one clear paragraph: never a stack trace unless QC_COLLAB_DEBUG is set. */
export function printError(io: CliIo, error: unknown): void {
  if (isQcCollabError(error)) {
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    for (const detail of error.details) io.stderr.write(`  ${detail}\n`);
    if (error.hint !== undefined) io.stderr.write(`hint: ${error.hint}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error E_INTERNAL: ${message}\n`);
  if (io.env["QC_COLLAB_DEBUG"] !== undefined && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  }
}
