import { Option, type Command } from "commander";
import type { ValidationResult } from "../../model/diagnostic.js";
import type { DesiredState } from "../../model/desired-state.js";
import { loadDesiredFile } from "../../desired/load-desired-file.js";
import { renderDiagnosticsGithub } from "../../report/diagnostics-github.js";
import { renderDiagnosticsJson } from "../../report/diagnostics-json.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { EXIT } from "../exit-codes.js";
import { type CliContext, useColor } from "./context.js";

interface ValidateFlags {
  readonly file: string;
  readonly format: "text" | "json" | "github";
}

/** `qc-collab validate`: check the file offline; exit 0 when valid (warnings allowed), 1 when not. */
export function registerValidateCommand(program: Command, ctx: CliContext): void {
  program
    .command("validate")
    .description("check the desired-state file (syntax, schema and rules) without contacting QuantConnect")
    .option("-f, --file <FILE>", "desired-state file", "collaborators.yaml")
    .addOption(
      new Option("--format <FORMAT>", "output format").choices(["text", "json", "github"]).default("text"),
    )
    .action(async (flags: ValidateFlags) => {
      const result = await loadDesiredFile(flags.file, { cwd: ctx.cwd });
      const diagnostics = [...result.errors, ...result.warnings].sort(
        (a, b) => a.location.line - b.location.line || a.location.col - b.location.col,
      );
      if (flags.format === "json") {
        ctx.stdout.write(renderDiagnosticsJson(result));
      } else {
        const body =
          flags.format === "github"
            ? renderDiagnosticsGithub(diagnostics)
            : renderDiagnosticsText(diagnostics, { color: useColor(ctx) });
        ctx.stdout.write(`${body}${summaryLine(flags.file, result)}\n`);
      }
      ctx.exitCode = result.errors.length === 0 ? EXIT.ok : EXIT.error;
    });
}

/** "collaborators.yaml: valid, 5 projects, 12 grants" or "collaborators.yaml: invalid, 2 errors, 1 warning". */
export function summaryLine(file: string, result: ValidationResult<DesiredState>): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const warnings = result.warnings.length > 0 ? `, ${count(result.warnings.length, "warning")}` : "";
  if (result.value === undefined)
    return `${file}: invalid, ${count(result.errors.length, "error")}${warnings}`;
  const grants = result.value.projects.reduce((sum, project) => sum + project.grants.length, 0);
  return `${file}: valid, ${count(result.value.projects.length, "project")}, ${count(grants, "grant")}${warnings}`;
}
