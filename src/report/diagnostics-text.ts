import type { Diagnostic } from "../model/diagnostic.js";
import { formatLocation } from "../model/source-location.js";

const RED = "\u001b[31m";
const YELLOW = "\u001b[33m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";

/** One line per diagnostic, `file:line:col: error CODE: message`: the form editors turn into links. */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  options: { color: boolean },
): string {
  return diagnostics
    .map((d) => {
      const where = formatLocation(d.location);
      if (!options.color) return `${where}: ${d.severity} ${d.code}: ${d.message}\n`;
      const tint = d.severity === "error" ? RED : YELLOW;
      return `${BOLD}${where}${RESET}: ${tint}${d.severity} ${d.code}${RESET}: ${d.message}\n`;
    })
    .join("");
}
