import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../src/desired/diagnostic-codes.js";
import { parseDesiredState } from "../../src/desired/parse-desired-state.js";
import { closestMatch, editDistance } from "../../src/util/did-you-mean.js";

const NOW = new Date("2026-06-01T08:00:00Z");
const parse = (text: string) => parseDesiredState(text, "c.yaml", { now: NOW });
const brief = (text: string) => {
  const result = parse(text);
  return [...result.errors, ...result.warnings].map(
    (d) => `${d.location.line}:${d.location.col} ${d.severity} ${d.code}`,
  );
};

describe("expiry", () => {
  const file = (date: string, days = "") =>
    `version: 1\n${days}projects:\n  - id: 1\n    collaborators:\n      - user: a\n        expires: ${date}\n`;

  it("warns about a grant that already expired, and stays valid", () => {
    const result = parse(file("2026-05-31"));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toMatchObject([
      { code: DIAGNOSTIC_CODES.expiredGrant, location: { line: 6, col: 18 } },
    ]);
    expect(result.warnings[0]?.message).toContain("expired on 2026-05-31");
    expect(result.value?.projects[0]?.grants[0]?.contributions[0]?.expires).toBe("2026-05-31");
  });

  it("treats the expiry day itself as still granted", () => {
    expect(parse(file("2026-06-01")).warnings.map((w) => w.code)).toEqual([DIAGNOSTIC_CODES.expiringGrant]);
  });

  it("warns about grants expiring within expiryWarningDays (default 14), not later", () => {
    expect(parse(file("2026-06-15")).warnings.map((w) => w.code)).toEqual([DIAGNOSTIC_CODES.expiringGrant]);
    expect(parse(file("2026-06-16")).warnings).toEqual([]);
    expect(parse(file("2026-06-16", "settings: { expiryWarningDays: 30 }\n")).warnings).toHaveLength(1);
    expect(parse(file("2026-06-03", "settings: { expiryWarningDays: 0 }\n")).warnings).toEqual([]);
  });

  it("rejects a date that is not on the calendar", () => {
    expect(brief(file("2026-02-29"))).toEqual(["6:18 error E_CONFIG_INVALID_DATE"]);
    expect(brief(file("2028-02-29"))).toEqual([]); // a leap year
    expect(brief(file("2026-13-01"))).toEqual(["6:18 error E_CONFIG_INVALID_DATE"]);
  });

  it("checks expiry in team definitions and on team references too", () => {
    const text = `version: 1
teams:
  t:
    - user: a
      expires: 2020-01-01
projects:
  - id: 1
    collaborators:
      - team: t
        expires: 2026-02-30
`;
    expect(brief(text)).toEqual(["10:18 error E_CONFIG_INVALID_DATE", "5:16 warning W_EXPIRED_GRANT"]);
  });
});

describe("teams", () => {
  it("warns about a team no project uses", () => {
    expect(brief("version: 1\nteams:\n  idle:\n    - user: a\n")).toEqual(["3:3 warning W_UNUSED_TEAM"]);
  });

  it("suggests the closest team name, or lists the teams when none is close", () => {
    const text = (ref: string) =>
      `version: 1\nteams:\n  research:\n    - user: a\n  ops:\n    - user: b\nprojects:\n  - id: 1\n    collaborators:\n      - team: ${ref}\n      - team: research\n      - team: ops\n`;
    expect(parse(text("Research")).errors[0]?.message).toBe(
      "unknown team 'Research'; did you mean 'research'?",
    );
    expect(parse(text("marketing")).errors[0]?.message).toBe(
      "unknown team 'marketing' (defined: research, ops)",
    );
    expect(
      parse("version: 1\nprojects:\n  - id: 1\n    collaborators: [{ team: x }]\n").errors[0]?.message,
    ).toBe("unknown team 'x' (no teams are defined under `teams:`)");
  });
});

describe("all problems of a file in one run", () => {
  it("reports schema errors and rule errors together, in file order", () => {
    const text = `version: 1
setings: {}
teams:
  t: []
projects:
  - id: 7
    collaborators:
      - team: t
      - user: a
        permission: owner
      - user: a
  - id: 7
    collaborators:
      - team: nope
`;
    expect(brief(text)).toEqual([
      "2:1 error E_CONFIG_UNKNOWN_KEY",
      "8:15 error E_CONFIG_EMPTY_TEAM",
      "10:21 error E_CONFIG_SCHEMA",
      "11:15 error E_CONFIG_DUPLICATE_USER",
      "12:9 error E_CONFIG_DUPLICATE_PROJECT",
      "14:15 error E_CONFIG_UNKNOWN_TEAM",
    ]);
    expect(parse(text).value).toBeUndefined();
  });

  it("reports every unknown key, with its suggestion or the allowed keys", () => {
    const text = `version: 1
defaults:
  permision: read
  color: blue
projects:
  - id: 1
    colaborators: []
`;
    const messages = parse(text).errors.map(
      (e) => `${e.location.line}:${e.location.col} ${e.code} ${e.message}`,
    );
    expect(messages).toEqual([
      "3:3 E_CONFIG_UNKNOWN_KEY unknown key 'permision' in `defaults`; did you mean 'permission'?",
      "4:3 E_CONFIG_UNKNOWN_KEY unknown key 'color' in `defaults` (allowed here: permission, liveControl)",
      "6:5 E_CONFIG_SCHEMA a project needs `collaborators:` (write `collaborators: []` to declare no one)",
      "7:5 E_CONFIG_UNKNOWN_KEY unknown key 'colaborators' in a project; did you mean 'collaborators'?",
    ]);
  });
});

describe("names vs ids", () => {
  it("accepts a project with both id and name (the name is checked live later)", () => {
    expect(parse("version: 1\nprojects:\n  - { id: 5, name: Five, collaborators: [] }\n").errors).toEqual([]);
  });

  it("asks for an unquoted number when a numeric id is quoted", () => {
    const result = parse('version: 1\nprojects:\n  - id: "12345"\n    collaborators: []\n');
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [DIAGNOSTIC_CODES.configSchema, "project id must be a number: write `id: 12345` without quotes"],
    ]);
  });
});

describe("did you mean", () => {
  it("counts a swap of two neighbouring letters as one edit", () => {
    expect(editDistance("wirte", "write")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestMatch("prun", ["prune", "projects"])).toBe("prune");
    expect(closestMatch("zzz", ["prune", "projects"])).toBeUndefined();
  });
});
