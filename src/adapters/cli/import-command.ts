import type { Command } from "commander";
import { readLiveState } from "../../app/read-live-state.js";
import { emitCollaboratorsYaml, type ImportedProject } from "../../desired/emit-yaml.js";
import { QcCollabError } from "../../model/errors.js";
import { addConnectionOptions, connectToQuantConnect, type ConnectionFlags } from "./connect.js";
import type { CliContext } from "./context.js";
import { collect, parseCount, writeTextFile } from "./plan-support.js";

interface ImportFlags extends ConnectionFlags {
  readonly project: number[];
  readonly all?: boolean;
  readonly output?: string;
  readonly force?: boolean;
  readonly concurrency: number;
}

function parseProjectId(value: string, previous: number[]): number[] {
  return collect(String(parseCount("--project", 1)(value.replace(/^#/, ""))), previous.map(String)).map(
    Number,
  );
}

/**
 * `qc-collab import`: live collaborators → a commented collaborators.yaml, the way to adopt the
 * tool. Planning the written file right away shows no changes.
 */
export function registerImportCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("import")
    .description("write a collaborators.yaml from the live collaborators of projects")
    .option("--project <ID>", "import this project (repeatable)", parseProjectId, [])
    .option("--all", "import every project these credentials can see")
    .option("-o, --output <FILE>", "write to FILE instead of stdout")
    .option("--force", "overwrite FILE if it exists")
    .option("--concurrency <N>", "collaborator reads in flight at once", parseCount("--concurrency", 1), 8);
  addConnectionOptions(command).action(async (flags: ImportFlags) => {
    if (flags.all === true && flags.project.length > 0) {
      throw new QcCollabError("E_USAGE", "give either --all or --project ID..., not both");
    }
    if (flags.all !== true && flags.project.length === 0) {
      throw new QcCollabError("E_USAGE", "say which projects to import: --project ID (repeatable) or --all");
    }
    const connection = await connectToQuantConnect(ctx, flags);
    let projects: ImportedProject[];
    try {
      // One /projects/read gives the names (and, for --all, the list itself).
      const listed = await connection.api.listProjects();
      const names = new Map(listed.map((p) => [p.projectId, p.name]));
      const ids = flags.all === true ? listed.map((p) => p.projectId) : [...new Set(flags.project)];
      const unknown = ids.filter((id) => !names.has(id));
      if (unknown.length > 0) {
        throw new QcCollabError(
          "E_NOT_FOUND",
          `no project ${unknown.map((id) => `#${id}`).join(", ")} is visible to these credentials`,
        );
      }
      const live = await readLiveState(
        connection.api,
        ids.map((projectId) => ({ projectId })),
        { concurrency: flags.concurrency },
      );
      projects = ids.map((projectId) => ({
        projectId,
        name: names.get(projectId) ?? "",
        collaborators: live.get(projectId) ?? [],
      }));
    } finally {
      await connection.close();
    }
    const yaml = emitCollaboratorsYaml({
      projects,
      generatedAt: new Date(),
      viewerUid: connection.identity.uid,
      source: connection.sandbox ? "the qc-collab sandbox" : connection.apiUrl,
    });
    if (flags.output === undefined) {
      ctx.stdout.write(yaml);
      return;
    }
    await writeTextFile(ctx, flags.output, yaml, { overwrite: flags.force === true });
    const people = projects.reduce((n, p) => n + p.collaborators.filter((c) => !c.owner).length, 0);
    ctx.stderr.write(
      `Wrote ${flags.output}: ${projects.length} project${projects.length === 1 ? "" : "s"}, ${people} collaborator${people === 1 ? "" : "s"}. ` +
        `Check it with: qc-collab plan -f ${flags.output} (it should show no changes)\n`,
    );
  });
}
