import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The installed package's root (where package.json and examples/ live), found by walking up from
 * this file: works from src/sandbox/ (tests) and from build/src/sandbox/ (the built CLI).
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
        if (parsed.name === "qc-collab") return dir;
      } catch {
        // not our manifest; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the qc-collab package root (package.json)");
    dir = parent;
  }
}

/** examples/sandbox-state.json of the package: the demo organisation and default seed. */
export function defaultSeedPath(root: string = packageRoot()): string {
  return join(root, "examples", "sandbox-state.json");
}
