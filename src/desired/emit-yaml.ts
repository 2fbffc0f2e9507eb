import { Document, isMap, isSeq, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { LiveCollaborator } from "../model/live-state.js";

export interface ImportedProject {
  readonly projectId: number;
  readonly name: string;
  readonly collaborators: readonly LiveCollaborator[];
}

export interface EmitInput {
  readonly projects: readonly ImportedProject[];
  /** When the live state was read: written in the header so a reviewer knows how old it is. */
  readonly generatedAt: Date;
  /** Where it was read from (the API root), for the header; never credentials. */
  readonly source?: string;
  /** The uid the credentials belong to: projects owned by someone else get a note. */
  readonly viewerUid?: number;
  /** Path of the JSON Schema relative to the output file, for editors. */
  readonly schemaPath?: string;
}

/** Display names come from other people's profiles: keep them to one harmless comment line. */
function commentText(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ").trim();
}

function collaboratorNode(doc: Document, c: LiveCollaborator): YAMLMap {
  const entry: Record<string, unknown> = { user: c.publicId, permission: c.permission };
  if (c.liveControl) entry["liveControl"] = true;
  const node = doc.createNode(entry) as YAMLMap;
  const name = commentText(c.name);
  const user = node.items[0]?.value;
  if (name !== "" && name !== c.publicId && user instanceof Scalar) user.comment = ` ${name}`;
  return node;
}

function projectNode(
  doc: Document,
  project: ImportedProject,
  viewerUid: number | undefined,
  sameName: number,
): YAMLMap {
  const node = new YAMLMap();
  const id = doc.createPair("id", project.projectId);
  node.add(id);
  if (sameName > 1 && project.name !== "") {
    // Two entries with one name are a duplicate-project error: the id alone identifies the project.
    (id.value as Scalar).comment =
      ` ${JSON.stringify(commentText(project.name))}: a name ${sameName} imported projects share; declared by id only`;
  } else if (project.name !== "") {
    node.add(doc.createPair("name", project.name));
  }
  const declared = [...project.collaborators]
    .filter((c) => !c.owner)
    .sort((a, b) => a.publicId.localeCompare(b.publicId));
  const list = new YAMLSeq();
  for (const c of declared) list.add(collaboratorNode(doc, c));
  if (declared.length === 0) list.flow = true;
  const pair = doc.createPair("collaborators", list);
  const owners = project.collaborators.filter((c) => c.owner);
  const ownerNotes = owners.map((o) => {
    const name = commentText(o.name);
    return ` owner: ${o.publicId}${name !== "" && name !== o.publicId ? ` (${name})` : ""}; never changed by qc-collab, so not declared`;
  });
  if (viewerUid !== undefined && owners.length > 0 && !owners.some((o) => o.uid === viewerUid)) {
    ownerNotes.push(" you do not own this project: QuantConnect lets only its owner change collaborators");
  }
  if (declared.length === 0) ownerNotes.push(" no collaborators besides the owner");
  if (ownerNotes.length > 0) (pair.key as Scalar).commentBefore = ownerNotes.join("\n");
  node.add(pair);
  return node;
}

/**
 * The live state as a commented collaborators.yaml that validates and plans to "no changes":
 * every collaborator declared with its current access, owners noted in comments (declaring them
 * is allowed but pointless), and prune off so that adopting the tool removes nobody.
 */
export function emitCollaboratorsYaml(input: EmitInput): string {
  const doc = new Document({});
  doc.commentBefore = [
    ` yaml-language-server: $schema=${input.schemaPath ?? "./schemas/collaborators.schema.json"}`,
    ` Imported by \`qc-collab import\` on ${input.generatedAt.toISOString()}${input.source === undefined ? "" : ` from ${input.source}`}.`,
    " Every live collaborator is declared with its current access, so `qc-collab plan` shows no changes.",
    " From now on, change collaborators here, through pull requests.",
  ].join("\n");
  const root = doc.contents as YAMLMap;
  root.add(doc.createPair("version", 1));
  const settings = doc.createNode({ prune: false });
  if (isMap(settings)) {
    const prune = settings.items[0];
    if (prune !== undefined) {
      (prune.value as Scalar).comment =
        " keep collaborators added in QuantConnect but not listed here; set true per project to enforce the list";
    }
  }
  root.add(doc.createPair("settings", settings));
  const nameCounts = new Map<string, number>();
  for (const p of input.projects) nameCounts.set(p.name, (nameCounts.get(p.name) ?? 0) + 1);
  const projects = new YAMLSeq();
  for (const project of input.projects) {
    projects.add(projectNode(doc, project, input.viewerUid, nameCounts.get(project.name) ?? 1));
  }
  if (input.projects.length === 0) projects.flow = true;
  const projectsPair = doc.createPair("projects", projects);
  root.add(projectsPair);
  if (isSeq(projects) && projects.items.length > 1) {
    for (const item of projects.items.slice(1)) (item as YAMLMap).spaceBefore = true;
  }
  return doc.toString({ lineWidth: 0 });
}
