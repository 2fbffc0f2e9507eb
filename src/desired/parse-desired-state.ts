import { createHash } from "node:crypto";
import type { Diagnostic, ValidationResult } from "../model/diagnostic.js";
import type { DesiredState } from "../model/desired-state.js";
import { utcDate } from "./calendar-date.js";
import { DIAGNOSTIC_CODES, MAX_CONFIG_BYTES } from "./diagnostic-codes.js";
import type { CollaboratorsDocument } from "./document-types.js";
import { byLocation, errorAt } from "./make-diagnostic.js";
import { normalise } from "./normalise.js";
import { readYaml } from "./read-yaml.js";
import { checkRules } from "./semantic-rules.js";
import { checkSchema } from "./schema-check.js";

export interface ParseDesiredOptions {
  /** The clock, for expiry warnings. Default: now. */
  readonly now?: Date;
  /** sha256 hex of the file's bytes, when the caller has them (default: of the text as UTF-8). */
  readonly digest?: string;
}

/**
 * The text of a collaborators file → DesiredState, or every problem in it. Pure: no I/O.
 * `file` is only used to label diagnostics and sources.
 */
export function parseDesiredState(
  text: string,
  file: string,
  options: ParseDesiredOptions = {},
): ValidationResult<DesiredState> {
  const at11 = { file, line: 1, col: 1 };
  const size = Buffer.byteLength(text, "utf8");
  if (size > MAX_CONFIG_BYTES) {
    return invalid([errorAt(DIAGNOSTIC_CODES.configTooLarge, tooLargeMessage(size), at11)]);
  }
  const read = readYaml(text, file);
  if (read.value === undefined) return invalid(read.errors);
  const root = read.value;
  if (root === null) {
    return invalid([
      errorAt(DIAGNOSTIC_CODES.configEmpty, "the file is empty; it should start with `version: 1`", at11),
    ]);
  }
  if (typeof root !== "object" || Array.isArray(root)) {
    return invalid([
      errorAt(
        DIAGNOSTIC_CODES.configSchema,
        `the file must be a YAML mapping starting with \`version: 1\`, found ${Array.isArray(root) ? "a list" : "a single value"}`,
        at11,
      ),
    ]);
  }
  const diagnostics = [
    ...checkSchema(root, read.index),
    ...checkRules(root as Record<string, unknown>, read.index, utcDate(options.now ?? new Date())),
  ].sort(byLocation);
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  if (errors.length > 0) return { value: undefined, errors, warnings };
  const digest = options.digest ?? createHash("sha256").update(text, "utf8").digest("hex");
  return { value: normalise(root as CollaboratorsDocument, read.index, digest), errors, warnings };
}

export function tooLargeMessage(bytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `the file is ${mb(bytes)}; the limit is ${mb(MAX_CONFIG_BYTES)} (split it, or check that this is the right file)`;
}

function invalid(errors: readonly Diagnostic[]): ValidationResult<DesiredState> {
  return { value: undefined, errors, warnings: [] };
}
