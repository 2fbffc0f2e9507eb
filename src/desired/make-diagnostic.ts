import type { Diagnostic } from "../model/diagnostic.js";
import type { SourceLocation } from "../model/source-location.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";

export function errorAt(code: DiagnosticCode, message: string, location: SourceLocation): Diagnostic {
  return { severity: "error", code, message, location };
}

export function warningAt(code: DiagnosticCode, message: string, location: SourceLocation): Diagnostic {
  return { severity: "warning", code, message, location };
}

/** Diagnostics in reading order, so that a long list reads top to bottom like the file. */
export function byLocation(a: Diagnostic, b: Diagnostic): number {
  return a.location.line - b.location.line || a.location.col - b.location.col;
}
