import { describe, expect, it } from "vitest";
import { fingerprintCollaborators } from "../../src/plan/fingerprint.js";
import { OWNER, READ, WRITE, WRITE_LIVE, live } from "./fixtures/builders.js";

describe("fingerprintCollaborators", () => {
  const list = [OWNER, live("a", READ), live("b", WRITE)];
  const base = fingerprintCollaborators(list);

  it("is a sha256 digest independent of order", () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprintCollaborators([...list].reverse())).toBe(base);
  });

  it("changes with every field the plan depends on", () => {
    const variants = [
      [OWNER, live("a", WRITE), live("b", WRITE)],
      [OWNER, live("a", READ), live("b", WRITE_LIVE)],
      [OWNER, live("a", READ, { owner: true }), live("b", WRITE)],
      [OWNER, live("c", READ), live("b", WRITE)],
      [OWNER, live("a", READ)],
      [],
    ];
    for (const variant of variants) expect(fingerprintCollaborators(variant)).not.toBe(base);
  });

  it("ignores display fields and uid", () => {
    expect(fingerprintCollaborators(list.map((c) => ({ ...c, name: "x", uid: 42 })))).toBe(base);
  });
});
