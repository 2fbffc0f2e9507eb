import { describe, expect, it } from "vitest";
import { applyChangesToLive } from "../../src/plan/simulate.js";
import { OWNER, READ, WRITE, live } from "./fixtures/builders.js";

const base = { source: "s", escalation: false, selfLockout: false };

describe("applyChangesToLive", () => {
  it("creates, updates and deletes like QuantConnect", () => {
    const result = applyChangesToLive(
      [OWNER, live("a", READ), live("b", READ)],
      [
        { ...base, action: "create", user: "c", before: null, after: WRITE },
        { ...base, action: "update", user: "a", before: READ, after: WRITE },
        { ...base, action: "delete", user: "b", before: READ, after: null },
      ],
    );
    expect(result.map((c) => [c.publicId, c.permission, c.owner])).toEqual([
      ["owner_o", "write", true],
      ["a", "write", false],
      ["c", "write", false],
    ]);
  });

  it("does not mutate its input", () => {
    const input = [OWNER, live("a", READ)];
    applyChangesToLive(input, [{ ...base, action: "delete", user: "a", before: READ, after: null }]);
    expect(input).toHaveLength(2);
  });

  it("refuses what the API would refuse", () => {
    expect(() =>
      applyChangesToLive(
        [OWNER],
        [{ ...base, action: "delete", user: "owner_o", before: READ, after: null }],
      ),
    ).toThrow(/owner/);
    expect(() =>
      applyChangesToLive(
        [live("a", READ)],
        [{ ...base, action: "create", user: "a", before: null, after: READ }],
      ),
    ).toThrow();
    expect(() =>
      applyChangesToLive([], [{ ...base, action: "update", user: "a", before: READ, after: WRITE }]),
    ).toThrow();
  });
});
