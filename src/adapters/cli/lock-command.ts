import { Option, type Command } from "commander";
import { QcCollabError } from "../../model/errors.js";
import type { ProjectSummary } from "../../model/live-state.js";
import type { QuantConnectApi } from "../../qc/api.js";
import { addConnectionOptions, connectToQuantConnect, type ConnectionFlags } from "./connect.js";
import type { CliContext } from "./context.js";

interface LockFlags extends ConnectionFlags {
  readonly codeSourceId: string;
  readonly format: "text" | "json";
}

/** The codeSourceId apply uses unless collaborators.yaml says otherwise (DESIGN.md §2). */
export const DEFAULT_CODE_SOURCE_ID = "qc-collab";

/** `qc-collab lock PROJECT`: acquires the project lock, e.g. to hold off other editors by hand. */
export function registerLockCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("lock")
    .description("acquire the QuantConnect project lock (lock/acquire) for a code source")
    .argument("<project>", "project id, or its exact name")
    .option(
      "--code-source-id <id>",
      "who holds the lock (QuantConnect's codeSourceId)",
      DEFAULT_CODE_SOURCE_ID,
    )
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"));
  addConnectionOptions(command).action(async (projectArg: string, flags: LockFlags) => {
    const codeSourceId = flags.codeSourceId.trim();
    if (codeSourceId === "") throw new QcCollabError("E_USAGE", "--code-source-id must not be empty");
    const connection = await connectToQuantConnect(ctx, flags);
    let project: { projectId: number; name: string | undefined };
    try {
      project = await resolveProject(connection.api, projectArg);
      await connection.api.acquireLock(project.projectId, codeSourceId);
    } finally {
      await connection.close();
    }
    const holder = { userId: connection.identity.uid, codeSourceId };
    if (flags.format === "json") {
      const result = {
        formatVersion: 1,
        locked: true,
        projectId: project.projectId,
        name: project.name ?? null,
        holder,
      };
      ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const label =
      project.name === undefined ? `${project.projectId}` : `${project.projectId} (${project.name})`;
    ctx.stdout.write(
      `Locked project ${label}.\nHeld now by user ${holder.userId} as code source ${JSON.stringify(codeSourceId)}.\n`,
    );
  });
}

/** A number is an id; anything else must match exactly one project name. */
async function resolveProject(
  api: QuantConnectApi,
  argument: string,
): Promise<{ projectId: number; name: string | undefined }> {
  const trimmed = argument.trim();
  if (/^\d+$/.test(trimmed)) return { projectId: Number(trimmed), name: undefined };
  const projects: ProjectSummary[] = await api.listProjects();
  const matches = projects.filter((candidate) => candidate.name === trimmed);
  const [only] = matches;
  if (only === undefined) {
    throw new QcCollabError("E_NOT_FOUND", `no project named ${JSON.stringify(trimmed)}`, {
      hint: "pass the numeric project id, or the exact name as QuantConnect shows it.",
    });
  }
  if (matches.length > 1) {
    throw new QcCollabError("E_USAGE", `${matches.length} projects are named ${JSON.stringify(trimmed)}`, {
      details: matches.map((match) => `project ${match.projectId}`),
      hint: "pass the numeric project id instead.",
    });
  }
  return { projectId: only.projectId, name: only.name };
}
