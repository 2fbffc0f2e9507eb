import { createHash } from "node:crypto";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { QcCollabError } from "../model/errors.js";
import type { LiveCollaborator } from "../model/live-state.js";
import type { Plan } from "../model/plan.js";
import { fingerprintCollaborators } from "./fingerprint.js";
import { PLAN_SCHEMA } from "./plan-schema.js";

/** JSON with keys sorted at every level: the same plan always gives the same bytes to hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Integrity, not secrecy: the checksum lets apply notice a plan that was edited after review. It
 * is a plain sha256 of the canonical content; anyone can recompute it, which is fine because the
 * threat is an accidental or unreviewed edit, and apply re-checks staleness against live state.
 */
export function planChecksum(plan: Plan): string {
  return `sha256:${createHash("sha256").update(canonicalJson(plan)).digest("hex")}`;
}

/** The saved plan file (`plan --out`): the plan contract plus its checksum, pretty-printed. */
export function serializePlanFile(plan: Plan): string {
  return `${JSON.stringify({ ...plan, checksum: planChecksum(plan) }, null, 2)}\n`;
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;

function validate(value: unknown): readonly ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, strict: true }).compile(PLAN_SCHEMA);
  return validator(value) ? [] : (validator.errors ?? []);
}

function planFileError(path: string, message: string, details: readonly string[] = []): QcCollabError {
  return new QcCollabError("E_PLAN_FILE", `${path}: ${message}`, {
    hint: "create a fresh plan with `qc-collab plan --out FILE`",
    details,
  });
}

/** Reads a saved plan, refusing anything apply should not trust: not JSON, other format, edited, malformed. */
export function parsePlanFile(text: string, path: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw planFileError(path, `not a plan file: it is not valid JSON (${reason})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw planFileError(path, "not a plan file: expected a JSON object");
  }
  const { checksum, ...content } = raw as Record<string, unknown>;
  if (!("formatVersion" in content)) {
    throw planFileError(path, "not a plan file: it has no formatVersion");
  }
  if (content.formatVersion !== 1) {
    throw planFileError(
      path,
      `unsupported plan formatVersion ${JSON.stringify(content.formatVersion)}; this qc-collab reads formatVersion 1`,
    );
  }
  if (typeof checksum !== "string") {
    throw planFileError(
      path,
      "the plan file has no checksum; only files written by `qc-collab plan --out` are applied",
    );
  }
  const expected = `sha256:${createHash("sha256").update(canonicalJson(content)).digest("hex")}`;
  if (checksum !== expected) {
    throw planFileError(path, "the plan file was edited after it was created (checksum mismatch)");
  }
  const errors = validate(content);
  if (errors.length > 0) {
    throw planFileError(
      path,
      "the plan file does not have the expected shape",
      errors.map((e) => `${e.instancePath === "" ? "/" : e.instancePath}: ${e.message ?? "invalid"}`),
    );
  }
  return content as unknown as Plan;
}

/**
 * Projects whose live collaborators changed since the plan was made (E_STALE_PLAN). A project
 * missing from `current` counts as stale: a plan is only applied against state that was re-read.
 */
export function findStaleProjects(
  plan: Plan,
  current: ReadonlyMap<number, readonly LiveCollaborator[]>,
): { projectId: number; name: string }[] {
  return plan.projects
    .filter((p) => {
      const live = current.get(p.projectId);
      return live === undefined || fingerprintCollaborators(live) !== p.fingerprint;
    })
    .map((p) => ({ projectId: p.projectId, name: p.name }));
}
