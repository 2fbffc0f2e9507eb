import { readFile, writeFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import type { DesiredState } from "../../model/desired-state.js";
import type { Diagnostic } from "../../model/diagnostic.js";
import { QcCollabError, type ErrorCode } from "../../model/errors.js";
import { loadDesiredFile } from "../../desired/load-desired-file.js";
import { DIAGNOSTIC_CODES } from "../../desired/diagnostic-codes.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import type { CliContext } from "./context.js";

/** Shared by plan, apply and import: option parsing, reading the file, paths relative to ctx.cwd. */

export const DEFAULT_FILE = "collaborators.yaml";

export function parseCount(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    }
    return n;
  };
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function inCwd(ctx: CliContext, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.cwd, path);
}

/** Colour on stderr follows the same rule as on stdout (DESIGN.md §3). */
export function stderrIsInteractive(ctx: CliContext): boolean {
  return ctx.stderr.isTTY === true && ctx.env["NO_COLOR"] === undefined && ctx.env["CI"] === undefined;
}

const PLAN_REPORTS_THESE = new Set<string>([DIAGNOSTIC_CODES.expiringGrant, DIAGNOSTIC_CODES.expiredGrant]);

const PASS_THROUGH = new Set<ErrorCode>(["E_CONFIG_READ", "E_CONFIG_SYNTAX", "E_CONFIG_SCHEMA"]);

/** Diagnostic codes are finer than error codes: the first error decides the family. */
function errorCodeFor(diagnosticCode: string | undefined): ErrorCode {
  if (diagnosticCode === undefined) return "E_CONFIG_RULE";
  if (PASS_THROUGH.has(diagnosticCode as ErrorCode)) return diagnosticCode as ErrorCode;
  if (diagnosticCode === "E_CONFIG_UNKNOWN_KEY") return "E_CONFIG_SCHEMA";
  if (["E_CONFIG_TOO_LARGE", "E_CONFIG_NOT_TEXT"].includes(diagnosticCode)) return "E_CONFIG_READ";
  return "E_CONFIG_RULE";
}

/**
 * Validation comes before any API call: an invalid file prints its located diagnostics to stderr
 * and stops the command with E_CONFIG_* (exit 1). Warnings are printed and the run goes on.
 */
export async function loadDesiredOrFail(ctx: CliContext, file: string): Promise<DesiredState> {
  const result = await loadDesiredFile(file, { cwd: ctx.cwd });
  const color = stderrIsInteractive(ctx);
  // The plan reports expiry itself, knowing what is live (W_EXPIRING_GRANT, W_EXPIRED_GRANT, or a
  // delete "expired on DATE"); printing the loader's copies too would say everything twice.
  const warnings = result.warnings.filter((w) => !PLAN_REPORTS_THESE.has(w.code));
  const all: Diagnostic[] = [...result.errors, ...warnings];
  if (all.length > 0) ctx.stderr.write(renderDiagnosticsText(all, { color }));
  if (result.value === undefined || result.errors.length > 0) {
    const n = result.errors.length;
    throw new QcCollabError(
      errorCodeFor(result.errors[0]?.code),
      `${file} is not valid (${n} error${n === 1 ? "" : "s"}); nothing was read from or sent to QuantConnect`,
    );
  }
  return result.value;
}

export async function readTextFile(ctx: CliContext, path: string, what: string): Promise<string> {
  try {
    return await readFile(inCwd(ctx, path), "utf8");
  } catch (error) {
    throw new QcCollabError("E_USAGE", `cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

export async function writeTextFile(
  ctx: CliContext,
  path: string,
  text: string,
  options: { readonly overwrite: boolean },
): Promise<void> {
  try {
    await writeFile(inCwd(ctx, path), text, { encoding: "utf8", flag: options.overwrite ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new QcCollabError("E_USAGE", `${path} already exists; nothing was written`, {
        hint: "choose another file, or pass --force to overwrite it",
      });
    }
    throw new QcCollabError("E_USAGE", `cannot write ${path}: ${(error as Error).message}`);
  }
}
