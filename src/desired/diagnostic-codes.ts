/**
 * Stable codes of the diagnostics about a desired-state file. They are part of the contract
 * (scripts and CI filters match on them); each is documented in docs/diagnostics.md.
 */
export const DIAGNOSTIC_CODES = {
  /** The file cannot be read: missing, a directory, no permission. */
  configRead: "E_CONFIG_READ",
  /** The file is larger than MAX_CONFIG_BYTES; rejected before parsing. */
  configTooLarge: "E_CONFIG_TOO_LARGE",
  /** The file is not text: it contains NUL bytes or is not valid UTF-8. */
  configNotText: "E_CONFIG_NOT_TEXT",
  /** The file is empty or holds only comments. */
  configEmpty: "E_CONFIG_EMPTY",
  /** YAML syntax error, duplicate key, or alias expansion over the limit. */
  configSyntax: "E_CONFIG_SYNTAX",
  /** The document does not match schemas/collaborators.schema.json (wrong type, missing key, bad value). */
  configSchema: "E_CONFIG_SCHEMA",
  /** A key that the format does not know (with "did you mean" when a known key is close). */
  unknownKey: "E_CONFIG_UNKNOWN_KEY",
  /** A numeric user (a uid, not a public id), a project id written as text, or a numeric project name. */
  nameVsId: "E_CONFIG_NAME_VS_ID",
  /** Two projects with the same id, or with the same name. */
  duplicateProject: "E_CONFIG_DUPLICATE_PROJECT",
  /** A user listed twice directly in one project. */
  duplicateUser: "E_CONFIG_DUPLICATE_USER",
  /** The same team referenced twice in one project. */
  duplicateTeamRef: "E_CONFIG_DUPLICATE_TEAM_REF",
  /** A user listed twice in one team. */
  duplicateMember: "E_CONFIG_DUPLICATE_MEMBER",
  /** A project references a team that `teams:` does not define. */
  unknownTeam: "E_CONFIG_UNKNOWN_TEAM",
  /** A project references a team that has no members. */
  emptyTeam: "E_CONFIG_EMPTY_TEAM",
  /** `expires:` has the YYYY-MM-DD shape but is not a calendar date (e.g. 2027-02-30). */
  invalidDate: "E_CONFIG_INVALID_DATE",
  /** Warning: the grant's expiry date has passed; the planner removes it if it is live. */
  expiredGrant: "W_EXPIRED_GRANT",
  /** Warning: the grant expires within `settings.expiryWarningDays` days. */
  expiringGrant: "W_EXPIRING_GRANT",
  /** Warning: a team is defined but no project uses it. */
  unusedTeam: "W_UNUSED_TEAM",
} as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

/** Files above this size are rejected before parsing (10,000 projects × 25 users is about 10 MB). */
export const MAX_CONFIG_BYTES = 20 * 1024 * 1024;

/** Alias expansions allowed in one file: enough for sharing a list, far too few for a "billion laughs". */
export const MAX_ALIAS_NODES = 10_000;
