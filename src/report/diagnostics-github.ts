import type { Diagnostic } from "../model/diagnostic.js";

/**
 * GitHub Actions workflow commands, which become annotations on the YAML lines of a pull request.
 * Escaping follows the runner's rules (actions/toolkit `command.ts`): data escapes %, CR, LF;
 * property values also `:` and `,`.
 */
export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const properties = [
        `file=${escapeProperty(d.location.file)}`,
        `line=${d.location.line}`,
        `col=${d.location.col}`,
        `title=${escapeProperty(d.code)}`,
      ].join(",");
      return `::${d.severity} ${properties}::${escapeData(d.message)}\n`;
    })
    .join("");
}

export function escapeData(value: string): string {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
