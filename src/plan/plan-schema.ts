/**
 * JSON Schema (2020-12) of the plan contract (DESIGN.md §4, docs/plan-format.md). Saved plan files
 * are checked against it before apply trusts them. Extra properties are refused so that a file
 * from a different tool or a newer format fails loudly instead of being half-understood.
 */
const access = {
  type: "object",
  additionalProperties: false,
  required: ["permission", "liveControl"],
  properties: { permission: { enum: ["read", "write"] }, liveControl: { type: "boolean" } },
} as const;

const change = {
  type: "object",
  additionalProperties: false,
  required: ["action", "user", "before", "after", "source", "escalation", "selfLockout"],
  properties: {
    action: { enum: ["create", "update", "delete"] },
    user: { type: "string", minLength: 1 },
    before: { anyOf: [access, { type: "null" }] },
    after: { anyOf: [access, { type: "null" }] },
    source: { type: "string" },
    reason: { type: "string" },
    // Optional, added within formatVersion 1: the deciding declaration's last day.
    expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    escalation: { type: "boolean" },
    selfLockout: { type: "boolean" },
  },
} as const;

const count = { type: "integer", minimum: 0 } as const;

export const PLAN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  additionalProperties: false,
  required: [
    "formatVersion",
    "createdAt",
    "tool",
    "configDigest",
    "configFile",
    "settings",
    "summary",
    "projects",
    "warnings",
  ],
  properties: {
    formatVersion: { const: 1 },
    createdAt: { type: "string" },
    tool: {
      type: "object",
      additionalProperties: false,
      required: ["name", "version"],
      properties: { name: { type: "string" }, version: { type: "string" } },
    },
    configDigest: { type: "string" },
    configFile: { type: "string" },
    settings: {
      type: "object",
      additionalProperties: false,
      required: ["lock", "codeSourceId", "maxDeletions"],
      properties: {
        lock: { type: "boolean" },
        codeSourceId: { type: "string" },
        maxDeletions: count,
      },
    },
    summary: {
      type: "object",
      additionalProperties: false,
      required: ["create", "update", "delete", "projects", "changedProjects"],
      properties: { create: count, update: count, delete: count, projects: count, changedProjects: count },
    },
    projects: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["projectId", "name", "fingerprint", "changes", "unmanaged"],
        properties: {
          projectId: { type: "integer", minimum: 1 },
          name: { type: "string" },
          fingerprint: { type: "string" },
          changes: { type: "array", items: change },
          unmanaged: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["user", "access"],
              properties: { user: { type: "string" }, access },
            },
          },
        },
      },
    },
    warnings: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          projectId: { type: "integer" },
          source: { type: "string" },
          user: { type: "string" },
          date: { type: "string" },
        },
      },
    },
  },
} as const;
