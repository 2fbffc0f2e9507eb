import type { Diagnostic, ValidationResult } from "../model/diagnostic.js";

/** Version 1 of the `validate --format json` contract: keys and their order are stable. */
export interface DiagnosticsJson {
  readonly formatVersion: 1;
  readonly valid: boolean;
  readonly errors: readonly DiagnosticJson[];
  readonly warnings: readonly DiagnosticJson[];
}

export interface DiagnosticJson {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export function renderDiagnosticsJson(result: ValidationResult<unknown>): string {
  const body: DiagnosticsJson = {
    formatVersion: 1,
    valid: result.errors.length === 0,
    errors: result.errors.map(toJson),
    warnings: result.warnings.map(toJson),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function toJson(d: Diagnostic): DiagnosticJson {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.location.file,
    line: d.location.line,
    col: d.location.col,
  };
}
