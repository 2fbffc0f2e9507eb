import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WireCollaborator, WireProject } from "../../src/qc/wire-types.js";
import { startSandboxServer, type RunningSandbox } from "../../src/sandbox/server.js";
import { call, credentialsOf, exampleSeed } from "./sandbox-client.js";

const seed = exampleSeed();
const mara = credentialsOf(seed, "mara_lindqvist"); // owns 21436587..21436592
const alice = credentialsOf(seed, "alice_q"); // write collaborator on 21436587
const jun = credentialsOf(seed, "jun_intern"); // collaborator on 21436592 only
const MOMENTUM = 21436587;
const VOL_SURFACE = 21436593; // owned by gina_quant, mara collaborates (write)
let sandbox: RunningSandbox;

beforeEach(async () => {
  sandbox = await startSandboxServer({ seed });
});
afterEach(async () => {
  await sandbox.close();
});

const post = (path: string, credentials: typeof mara, json?: unknown) =>
  call(sandbox.apiUrl, path, credentials, json === undefined ? {} : { json });

function list(body: Record<string, unknown>): WireCollaborator[] {
  return body["collaborators"] as WireCollaborator[];
}

function fail(message: string | RegExp) {
  return { success: false, errors: [typeof message === "string" ? message : expect.stringMatching(message)] };
}

describe("/projects/read", () => {
  it("lists every project the caller owns or collaborates on, with versions: []", async () => {
    const mine = await post("/projects/read", mara);
    expect(mine.status).toBe(200);
    expect(mine.body["success"]).toBe(true);
    expect(mine.body["versions"]).toEqual([]);
    const projects = mine.body["projects"] as WireProject[];
    expect(projects.map((p) => p.projectId)).toEqual([
      21436587, 21436588, 21436589, 21436590, 21436591, 21436592, 21436593,
    ]);
    expect(projects.find((p) => p.projectId === VOL_SURFACE)?.owner).toBe(false);
    const juns = await post("/projects/read", jun);
    expect((juns.body["projects"] as WireProject[]).map((p) => p.name)).toEqual([
      "Scratch/Intern Playground",
    ]);
  });

  it("reads one project as an array of one, with realistic fields", async () => {
    const result = await post("/projects/read", mara, { projectId: MOMENTUM });
    const projects = result.body["projects"] as WireProject[];
    expect(projects).toHaveLength(1);
    const project = projects[0];
    expect(project).toMatchObject({
      projectId: MOMENTUM,
      name: "Momentum Alpha",
      ownerId: 100001,
      owner: true,
      language: "Py",
    });
    expect(project?.organizationId).toMatch(/^[0-9a-f]{32}$/);
    expect(project?.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(project?.collaborators.map((c) => c.publicId)).toEqual([
      "mara_lindqvist",
      "alice_q",
      "bob_trader",
      "carol_dev",
    ]);
    expect(Object.keys(project ?? {}).sort()).toEqual(
      [
        "channelId",
        "codeRunning",
        "collaborators",
        "created",
        "description",
        "encrypted",
        "language",
        "leanEnvironment",
        "leanPinnedToMaster",
        "leanVersionId",
        "libraries",
        "modified",
        "name",
        "organizationId",
        "owner",
        "ownerId",
        "parameters",
        "projectId",
      ].sort(),
    );
  });

  it("pages with start/end and refuses start >= end", async () => {
    const page = await post("/projects/read", mara, { end: 2 });
    expect((page.body["projects"] as unknown[]).length).toBe(2);
    expect((await post("/projects/read", mara, { start: 1, end: 1 })).body).toEqual(
      fail("start must be less than end"),
    );
  });

  it("fails clearly for unknown, invisible and malformed project ids", async () => {
    expect((await post("/projects/read", mara, { projectId: -1 })).body).toEqual(
      fail("Project -1 not found"),
    );
    expect((await post("/projects/read", jun, { projectId: MOMENTUM })).body).toEqual(
      fail(`You do not have access to project ${MOMENTUM}`),
    );
    expect((await post("/projects/read", mara, { projectId: "abc" })).body).toEqual(
      fail("projectId must be an integer"),
    );
  });
});

describe("/projects/collaboration/read", () => {
  it("answers the full list with the owner entry and the caller's own rights", async () => {
    const owner = await post("/projects/collaboration/read", mara, { projectId: MOMENTUM });
    expect(owner.body).toMatchObject({ success: true, userLiveControl: true, userPermissions: "write" });
    const entries = list(owner.body);
    expect(entries[0]).toEqual({
      uid: 100001,
      liveControl: true,
      permission: "write",
      publicId: "mara_lindqvist",
      profileImage: expect.stringMatching(
        /^https:\/\/cdn\.quantconnect\.com\/web\/i\/users\/profile\/[0-9a-f]+\.jpeg$/,
      ) as unknown,
      email: "mara@northwind-capital.example",
      name: "Mara Lindqvist",
      bio: "",
      owner: true,
    });
    expect(entries.filter((c) => c.owner)).toHaveLength(1);
    const bob = await post("/projects/collaboration/read", credentialsOf(seed, "bob_trader"), {
      projectId: MOMENTUM,
    });
    expect(bob.body).toMatchObject({ success: true, userLiveControl: false, userPermissions: "read" });
  });

  it("refuses strangers and unknown projects, and requires projectId", async () => {
    expect((await post("/projects/collaboration/read", jun, { projectId: MOMENTUM })).body).toEqual(
      fail(`You do not have access to project ${MOMENTUM}`),
    );
    expect((await post("/projects/collaboration/read", mara, { projectId: 1 })).body).toEqual(
      fail("Project 1 not found"),
    );
    expect((await post("/projects/collaboration/read", mara, {})).body).toEqual(
      fail("projectId is required"),
    );
  });
});

describe("collaborator writes", () => {
  it("create adds a known user and answers the full list", async () => {
    const result = await post("/projects/collaboration/create", mara, {
      projectId: MOMENTUM,
      collaboratorUserId: "farid_ml",
      collaborationLiveControl: true,
      collaborationWrite: true,
    });
    expect(result.body["success"]).toBe(true);
    const entries = list(result.body);
    expect(entries.map((c) => c.publicId)).toEqual([
      "mara_lindqvist",
      "alice_q",
      "bob_trader",
      "carol_dev",
      "farid_ml",
    ]);
    expect(entries.at(-1)).toMatchObject({
      uid: 100007,
      permission: "write",
      liveControl: true,
      owner: false,
    });
    expect(entries[0]).toMatchObject({ owner: true, permission: "write", liveControl: true });
  });

  it("create refuses duplicates, unknown users, the owner, missing fields, non-owners", async () => {
    const base = { projectId: MOMENTUM, collaborationLiveControl: false, collaborationWrite: false };
    const create = (who: typeof mara, body: object) =>
      post("/projects/collaboration/create", who, { ...base, ...body });
    expect((await create(mara, { collaboratorUserId: "alice_q" })).body).toEqual(
      fail(/^User "alice_q" is already a collaborator on project 21436587/),
    );
    expect((await create(mara, { collaboratorUserId: "johnny_walker" })).body).toEqual(
      fail(/^User "johnny_walker" not found/),
    );
    expect((await create(mara, { collaboratorUserId: " " })).body).toEqual(
      fail(/^collaboratorUserId is required/),
    );
    expect((await create(mara, { collaboratorUserId: "mara_lindqvist" })).body).toEqual(
      fail(/owns project 21436587 and cannot be added/),
    );
    expect(
      (await create(mara, { collaboratorUserId: "gina_quant", collaborationWrite: undefined })).body,
    ).toEqual(fail("collaborationWrite is required (true or false)"));
    expect((await create(alice, { collaboratorUserId: "gina_quant" })).body).toEqual(
      fail("Only the owner of project 21436587 can add collaborators"),
    );
    expect((await create(mara, { projectId: -1, collaboratorUserId: "gina_quant" })).body).toEqual(
      fail("Project -1 not found"),
    );
  });

  it("update changes access; without `write` it keeps the permission", async () => {
    const both = await post("/projects/collaboration/update", mara, {
      projectId: MOMENTUM,
      collaboratorUserId: "carol_dev",
      liveControl: false,
      write: true,
    });
    expect(list(both.body).find((c) => c.publicId === "carol_dev")).toMatchObject({
      permission: "write",
      liveControl: false,
    });
    const liveOnly = await post("/projects/collaboration/update", mara, {
      projectId: MOMENTUM,
      collaboratorUserId: "carol_dev",
      liveControl: true,
    });
    expect(list(liveOnly.body).find((c) => c.publicId === "carol_dev")).toMatchObject({
      permission: "write",
      liveControl: true,
    });
    const down = await post("/projects/collaboration/update", mara, {
      projectId: MOMENTUM,
      collaboratorUserId: "carol_dev",
      liveControl: false,
      write: false,
    });
    expect(list(down.body).find((c) => c.publicId === "carol_dev")).toMatchObject({
      permission: "read",
      liveControl: false,
    });
  });

  it("update refuses the owner, non-collaborators and non-owners", async () => {
    const update = (who: typeof mara, user: string) =>
      post("/projects/collaboration/update", who, {
        projectId: MOMENTUM,
        collaboratorUserId: user,
        liveControl: true,
        write: true,
      });
    expect((await update(mara, "mara_lindqvist")).body).toEqual(
      fail("The owner of project 21436587 cannot be changed"),
    );
    expect((await update(mara, "gina_quant")).body).toEqual(
      fail('User "gina_quant" is not a collaborator on project 21436587'),
    );
    expect((await update(alice, "bob_trader")).body).toEqual(
      fail("Only the owner of project 21436587 can change collaborators"),
    );
  });

  it("delete accepts collaboratorId and collaboratorUserId, refuses the owner", async () => {
    const byId = await post("/projects/collaboration/delete", mara, {
      projectId: MOMENTUM,
      collaboratorId: "bob_trader",
    });
    expect(list(byId.body).map((c) => c.publicId)).toEqual(["mara_lindqvist", "alice_q", "carol_dev"]);
    const byUserId = await post("/projects/collaboration/delete", mara, {
      projectId: MOMENTUM,
      collaboratorUserId: "carol_dev",
    });
    expect(list(byUserId.body).map((c) => c.publicId)).toEqual(["mara_lindqvist", "alice_q"]);
    expect(
      (
        await post("/projects/collaboration/delete", mara, {
          projectId: MOMENTUM,
          collaboratorId: "carol_dev",
        })
      ).body,
    ).toEqual(fail('User "carol_dev" is not a collaborator on project 21436587'));
    expect(
      (
        await post("/projects/collaboration/delete", mara, {
          projectId: MOMENTUM,
          collaboratorId: "mara_lindqvist",
        })
      ).body,
    ).toEqual(fail("The owner of project 21436587 cannot be removed"));
    expect(
      (
        await post("/projects/collaboration/delete", alice, {
          projectId: MOMENTUM,
          collaboratorId: "bob_trader",
        })
      ).body,
    ).toEqual(fail("Only the owner of project 21436587 can remove collaborators"));
    expect((await post("/projects/collaboration/delete", mara, { projectId: MOMENTUM })).body).toEqual(
      fail(/^collaboratorId or collaboratorUserId is required/),
    );
  });

  it("a collaborator cannot change a project it does not own, even with write", async () => {
    const result = await post("/projects/collaboration/create", mara, {
      projectId: VOL_SURFACE,
      collaboratorUserId: "bob_trader",
      collaborationLiveControl: false,
      collaborationWrite: false,
    });
    expect(result.body).toEqual(fail(`Only the owner of project ${VOL_SURFACE} can add collaborators`));
  });

  it("writes move the project's modified date", async () => {
    const before = (
      (await post("/projects/read", mara, { projectId: MOMENTUM })).body["projects"] as WireProject[]
    )[0];
    await post("/projects/collaboration/delete", mara, { projectId: MOMENTUM, collaboratorId: "bob_trader" });
    const after = (
      (await post("/projects/read", mara, { projectId: MOMENTUM })).body["projects"] as WireProject[]
    )[0];
    expect(after?.modified).not.toBe(before?.modified);
    expect(after?.created).toBe(before?.created);
  });
});
