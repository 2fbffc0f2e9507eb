import { describe, expect, it } from "vitest";
import { createQuantConnectClient } from "../../src/qc/client.js";
import {
  connectionRefused,
  connectionReset,
  fakeClock,
  json,
  scriptedFetch,
  status,
  wireCollaborator,
  type RecordedRequest,
} from "./scripted-fetch.js";

/**
 * A one-project QuantConnect in memory that really applies writes, and can then lose the answer
 * (5xx, reset, timeout-like hang is covered in client.test.ts): exactly the case where a blind
 * retry would apply a write twice.
 */
function project() {
  const collaborators: Record<string, unknown>[] = [
    wireCollaborator("mara_lindqvist", 100001, "write", true, true),
  ];
  const list = () => json({ success: true, collaborators });
  const apply = (request: RecordedRequest): Response => {
    const body = request.body;
    const user = String(body["collaboratorUserId"] ?? body["collaboratorId"]);
    const index = collaborators.findIndex((entry) => entry["publicId"] === user);
    switch (request.path) {
      case "/projects/collaboration/read":
        return list();
      case "/projects/collaboration/create":
        if (index >= 0) return json({ success: false, errors: [`${user} is already a collaborator`] });
        collaborators.push(
          wireCollaborator(
            user,
            100099,
            body["collaborationWrite"] === true ? "write" : "read",
            body["collaborationLiveControl"] === true,
          ),
        );
        return list();
      case "/projects/collaboration/update":
        if (index < 0) return json({ success: false, errors: [`${user} is not a collaborator`] });
        collaborators[index] = wireCollaborator(
          user,
          100099,
          body["write"] === true ? "write" : "read",
          body["liveControl"] === true,
        );
        return list();
      case "/projects/collaboration/delete":
        if (index < 0) return json({ success: false, errors: [`${user} is not a collaborator`] });
        collaborators.splice(index, 1);
        return list();
      default:
        return json({ success: false, errors: ["unknown endpoint"] });
    }
  };
  return { collaborators, apply };
}

type Fault = "applied-then-503" | "applied-then-reset" | "not-applied-503" | "refused" | "429";

/** Fails the first write according to `fault`, then behaves. */
function harness(fault: Fault) {
  const state = project();
  let faulted = false;
  const transport = scriptedFetch([], {
    route: (request) => () => {
      const isWrite = request.path !== "/projects/collaboration/read";
      if (!isWrite || faulted) return state.apply(request);
      faulted = true;
      switch (fault) {
        case "applied-then-503":
          state.apply(request);
          return status(503);
        case "applied-then-reset":
          state.apply(request);
          return connectionReset();
        case "not-applied-503":
          return status(503);
        case "refused":
          return connectionRefused();
        case "429":
          return status(429, { "retry-after": "1" });
      }
    },
  });
  const clock = fakeClock();
  const api = createQuantConnectClient({
    apiUrl: "https://qc.test/api/v2",
    credentials: { userId: "100001", apiToken: "token-for-idempotency-tests" },
    fetch: transport.fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0,
  });
  return { api, transport, state };
}

const CREATE = "/projects/collaboration/create";
const UPDATE = "/projects/collaboration/update";
const DELETE = "/projects/collaboration/delete";
const READ = "/projects/collaboration/read";

describe("writes whose outcome is unknown are checked by reading before any resend", () => {
  it.each(["applied-then-503", "applied-then-reset"] as const)(
    "create that took effect (%s): read shows it, no second create",
    async (fault) => {
      const { api, transport, state } = harness(fault);
      const result = await api.createCollaborator(7, "gina_quant", {
        permission: "read",
        liveControl: false,
      });
      expect(transport.count(CREATE)).toBe(1);
      expect(transport.count(READ)).toBe(1);
      expect(result.map((entry) => entry.publicId)).toEqual(["mara_lindqvist", "gina_quant"]);
      expect(state.collaborators.filter((entry) => entry["publicId"] === "gina_quant")).toHaveLength(1);
    },
  );

  it("create that did not take effect: read shows it missing, so it is sent again", async () => {
    const { api, transport } = harness("not-applied-503");
    const result = await api.createCollaborator(7, "gina_quant", { permission: "write", liveControl: true });
    expect(transport.count(CREATE)).toBe(2);
    expect(transport.count(READ)).toBe(1);
    expect(result.find((entry) => entry.publicId === "gina_quant")).toMatchObject({
      permission: "write",
      liveControl: true,
    });
  });

  it("update that took effect is not resent", async () => {
    const { api, transport, state } = harness("applied-then-503");
    state.collaborators.push(wireCollaborator("carol_dev", 5, "read", false));
    const result = await api.updateCollaborator(7, "carol_dev", { permission: "write", liveControl: false });
    expect(transport.count(UPDATE)).toBe(1);
    expect(result.find((entry) => entry.publicId === "carol_dev")?.permission).toBe("write");
  });

  it("delete that took effect is not resent", async () => {
    const { api, transport, state } = harness("applied-then-reset");
    state.collaborators.push(wireCollaborator("leo_contractor", 9, "read", false));
    const result = await api.deleteCollaborator(7, "leo_contractor");
    expect(transport.count(DELETE)).toBe(1);
    expect(result.map((entry) => entry.publicId)).toEqual(["mara_lindqvist"]);
  });

  it.each(["429", "refused"] as const)(
    "a write that was provably not processed (%s) is resent without a read",
    async (fault) => {
      const { api, transport } = harness(fault);
      await api.createCollaborator(7, "gina_quant", { permission: "read", liveControl: false });
      expect(transport.count(CREATE)).toBe(2);
      expect(transport.count(READ)).toBe(0);
    },
  );
});
