import { describe, expect, it } from "vitest";
import { effectiveGrant, isExpired } from "../../src/plan/effective-access.js";
import { READ, READ_LIVE, WRITE, WRITE_LIVE, direct, grant, viaTeam } from "./fixtures/builders.js";

const TODAY = "2027-03-20";

describe("effectiveGrant", () => {
  it("a direct entry wins over teams, even when the teams grant more", () => {
    const result = effectiveGrant(grant("u", viaTeam("research", 3, WRITE_LIVE), direct(10, READ)), TODAY);
    expect(result).toMatchObject({
      kind: "active",
      access: READ,
      decidedBy: { source: "c.yaml:10", via: "direct" },
    });
    if (result.kind === "active") expect(result.sources).toHaveLength(1);
  });

  it("teams combine: write beats read, liveControl true beats false", () => {
    const result = effectiveGrant(grant("u", viaTeam("a", 3, READ_LIVE), viaTeam("b", 7, WRITE)), TODAY);
    expect(result).toMatchObject({ kind: "active", access: WRITE_LIVE });
    if (result.kind !== "active") throw new Error("expected active");
    expect(result.sources.map((s) => s.via)).toEqual(["team a", "team b"]);
    // the team granting write is cited: it outranks live control alone
    expect(result.decidedBy.source).toBe("c.yaml:7");
  });

  it("cites the first of equally strong team contributions", () => {
    const result = effectiveGrant(grant("u", viaTeam("a", 3, WRITE), viaTeam("b", 7, WRITE)), TODAY);
    expect(result).toMatchObject({ decidedBy: { source: "c.yaml:3" } });
  });

  it("keeps the reason of the deciding entry", () => {
    const result = effectiveGrant(grant("u", direct(4, READ, { reason: "audit" })), TODAY);
    expect(result).toMatchObject({ decidedBy: { reason: "audit" } });
  });

  it("a grant is valid through its expiry day and expired the day after", () => {
    const g = grant("u", direct(4, WRITE, { expires: TODAY }));
    expect(effectiveGrant(g, TODAY).kind).toBe("active");
    expect(effectiveGrant(g, "2027-03-21")).toEqual({ kind: "expired", user: "u", expiredOn: TODAY });
    expect(g.contributions.map((c) => isExpired(c, "2027-03-21"))).toEqual([true]);
  });

  it("an expired direct entry falls back to the live teams", () => {
    const result = effectiveGrant(
      grant("u", viaTeam("t", 3, READ), direct(9, WRITE, { expires: "2027-01-01" })),
      TODAY,
    );
    expect(result).toMatchObject({ kind: "active", access: READ, decidedBy: { via: "team t" } });
  });

  it("expired teams are ignored in the union", () => {
    const result = effectiveGrant(
      grant("u", viaTeam("a", 3, WRITE_LIVE, { expires: "2027-03-01" }), viaTeam("b", 5, READ)),
      TODAY,
    );
    expect(result).toMatchObject({ kind: "active", access: READ });
  });

  it("entirely expired: reports the latest expiry date", () => {
    const result = effectiveGrant(
      grant(
        "u",
        direct(9, WRITE, { expires: "2027-01-01" }),
        viaTeam("a", 3, READ, { expires: "2027-02-15" }),
      ),
      TODAY,
    );
    expect(result).toEqual({ kind: "expired", user: "u", expiredOn: "2027-02-15" });
  });
});
