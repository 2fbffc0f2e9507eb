import { join } from "node:path";
import type { Credentials } from "../qc/signing.js";
import { defaultSeedPath, packageRoot as findPackageRoot } from "./package-root.js";
import { readSeedFile } from "./seed.js";
import { startSandboxServer } from "./server.js";

export interface EmbeddedSandbox {
  /** http://127.0.0.1:PORT/api/v2 */
  readonly apiUrl: string;
  /** The demo user's credentials (the first user of the state): sandbox-only demo values. */
  readonly credentials: Credentials;
  close(): Promise<void>;
}

/** Where `--sandbox` keeps its state, relative to the working directory. */
export function embeddedStatePath(cwd: string): string {
  return join(cwd, ".qc-collab", "sandbox-state.json");
}

/**
 * The in-process sandbox behind `--sandbox`: an ephemeral loopback port, state persisted in
 * `<cwd>/.qc-collab/sandbox-state.json` (created from the package's examples/sandbox-state.json
 * the first time), and the credentials of the first user.
 */
export async function startEmbeddedSandbox(options: {
  cwd: string;
  packageRoot?: string;
}): Promise<EmbeddedSandbox> {
  const seed = readSeedFile(defaultSeedPath(options.packageRoot ?? findPackageRoot()));
  const statePath = embeddedStatePath(options.cwd);
  const server = await startSandboxServer({ host: "127.0.0.1", port: 0, seed, statePath });
  try {
    const state = readSeedFile(statePath);
    const demo = state.users[0];
    if (demo === undefined) throw new Error(`${statePath} has no users`);
    return {
      apiUrl: server.apiUrl,
      credentials: { userId: String(demo.uid), apiToken: demo.apiToken },
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
