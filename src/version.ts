import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// Read from package.json so the version shown and recorded in plans never drifts from the package.
function readVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === "qc-collab" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next location: sources run from src/, compiled code from build/src/
    }
  }
  return "0.0.0";
}

export const TOOL_NAME = "qc-collab";
export const TOOL_VERSION = readVersion();
