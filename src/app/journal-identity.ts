/**
 * Who and what a journal line attributes an apply to (DESIGN.md §5). Pure: the adapter passes the
 * environment, the OS user name and a way to ask git, so the Action, the daemon and tests decide.
 */
export function journalActor(
  env: Readonly<Record<string, string | undefined>>,
  osUser: string | undefined,
): string {
  const actor = env["GITHUB_ACTOR"] ?? osUser;
  return actor === undefined || actor === "" ? "unknown" : actor;
}

/** GITHUB_SHA when running in Actions, otherwise what `gitHead` reports (null outside a repository). */
export async function journalCommit(
  env: Readonly<Record<string, string | undefined>>,
  gitHead: () => Promise<string | null>,
): Promise<string | null> {
  const sha = env["GITHUB_SHA"];
  if (sha !== undefined && sha !== "") return sha;
  try {
    return await gitHead();
  } catch {
    return null;
  }
}
