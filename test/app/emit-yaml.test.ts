import { describe, expect, it } from "vitest";
import { emitCollaboratorsYaml } from "../../src/desired/emit-yaml.js";
import { parseDesiredState } from "../../src/desired/parse-desired-state.js";
import type { LiveCollaborator } from "../../src/model/live-state.js";

const person = (
  publicId: string,
  permission: "read" | "write",
  extra: Partial<LiveCollaborator> = {},
): LiveCollaborator => ({
  publicId,
  uid: 1,
  name: publicId,
  permission,
  liveControl: false,
  owner: false,
  ...extra,
});

const projects = [
  {
    projectId: 11,
    name: "Momentum: Alpha #1",
    collaborators: [
      person("mara", "write", { owner: true, uid: 7, name: "Mara L", liveControl: true }),
      person("zoe", "read", { name: "Zoe\nInjected: true" }),
      person("alice", "write", { liveControl: true, name: "Alice Q" }),
    ],
  },
  { projectId: 12, name: "", collaborators: [person("gina", "write", { owner: true, uid: 9 })] },
];

describe("emitCollaboratorsYaml", () => {
  const text = emitCollaboratorsYaml({
    projects,
    generatedAt: new Date("2026-06-01T00:00:00Z"),
    viewerUid: 7,
  });

  it("writes a file the desired-state parser accepts, with every non-owner declared as live", () => {
    const result = parseDesiredState(text, "imported.yaml", { now: new Date("2026-06-01T00:00:00Z") });
    expect(result.errors).toEqual([]);
    const desired = result.value;
    expect(desired?.settings.prune).toBe(false);
    const first = desired?.projects[0];
    expect(first?.ref).toMatchObject({ kind: "id", projectId: 11, name: "Momentum: Alpha #1" });
    const grants = first?.grants.map((g) => [g.user, g.contributions[0]?.access]);
    expect(grants).toEqual([
      ["alice", { permission: "write", liveControl: true }],
      ["zoe", { permission: "read", liveControl: false }],
    ]);
    expect(desired?.projects[1]?.grants).toEqual([]);
  });

  it("notes owners in comments instead of declaring them, and keeps display names on one comment line", () => {
    expect(text).toContain("# owner: mara (Mara L); never changed by qc-collab, so not declared");
    expect(text).not.toMatch(/user: mara\b/);
    expect(text).toContain("- user: zoe # Zoe Injected: true");
    expect(text).toContain("# you do not own this project");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./schemas/collaborators.schema.json");
  });

  it("is stable: the same input gives the same text", () => {
    expect(
      emitCollaboratorsYaml({ projects, generatedAt: new Date("2026-06-01T00:00:00Z"), viewerUid: 7 }),
    ).toBe(text);
  });

  it("leaves out a name that several imported projects share, so the file stays valid", () => {
    const twin = (projectId: number) => ({
      projectId,
      name: "Smooth Blue Alligator",
      collaborators: [person("mara", "write", { owner: true, uid: 7 }), person("alice", "read")],
    });
    const shared = emitCollaboratorsYaml({
      projects: [twin(21), twin(22), { projectId: 23, name: "Unique", collaborators: [] }],
      generatedAt: new Date("2026-06-01T00:00:00Z"),
      viewerUid: 7,
    });
    const result = parseDesiredState(shared, "imported.yaml", { now: new Date("2026-06-01T00:00:00Z") });
    expect(result.errors).toEqual([]);
    expect(result.value?.projects.map((p) => p.ref)).toEqual([
      { kind: "id", projectId: 21 },
      { kind: "id", projectId: 22 },
      { kind: "id", projectId: 23, name: "Unique" },
    ]);
    expect(shared).toContain(
      '# "Smooth Blue Alligator": a name 2 imported projects share; declared by id only',
    );
  });
});
