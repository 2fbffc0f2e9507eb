import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { QcCollabError } from "../model/errors.js";
import type { WirePermission } from "../qc/wire-types.js";

/**
 * The sandbox's organisation, as written in a seed file (DESIGN.md §7) and, with a few extra
 * optional fields (dates, locks), as persisted in the state file. Tokens live here because the
 * sandbox must recompute request hashes; they are demo tokens and never leave this module's
 * callers through answers, logs or admin endpoints.
 */
export interface SeedUser {
  uid: number;
  publicId: string;
  name: string;
  email: string;
  apiToken: string;
  bio?: string;
}

export interface SeedCollaborator {
  publicId: string;
  permission: WirePermission;
  liveControl: boolean;
}

export interface SeedProject {
  projectId: number;
  name: string;
  ownerUid: number;
  language?: string;
  description?: string;
  /** "YYYY-MM-DD HH:MM:SS" UTC, the format QuantConnect's own payloads use. */
  created?: string;
  modified?: string;
  collaborators: SeedCollaborator[];
}

/** A lock as persisted: times are Unix milliseconds. */
export interface SeedLock {
  projectId: number;
  uid: number;
  codeSourceId: string;
  acquiredAtMs: number;
  expiresAtMs: number;
}

export interface SandboxSeed {
  users: SeedUser[];
  projects: SeedProject[];
  locks?: SeedLock[];
}

type Problems = string[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKeys(obj: Record<string, unknown>, where: string, allowed: readonly string[], out: Problems) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) out.push(`${where}: unknown key "${key}" (allowed: ${allowed.join(", ")})`);
  }
}

function str(obj: Record<string, unknown>, key: string, where: string, out: Problems, optional = false) {
  const value = obj[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    out.push(`${where}.${key} must be a non-empty string`);
    return undefined;
  }
  return value;
}

function int(obj: Record<string, unknown>, key: string, where: string, out: Problems) {
  const value = obj[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    out.push(`${where}.${key} must be a positive integer`);
    return undefined;
  }
  return value;
}

function validateUsers(raw: unknown, out: Problems): SeedUser[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    out.push("users must be a non-empty array");
    return [];
  }
  const users: SeedUser[] = [];
  raw.forEach((item: unknown, i) => {
    const where = `users[${i}]`;
    if (!isObject(item)) return void out.push(`${where} must be an object`);
    checkKeys(item, where, ["uid", "publicId", "name", "email", "apiToken", "bio"], out);
    const uid = int(item, "uid", where, out);
    const publicId = str(item, "publicId", where, out);
    const name = str(item, "name", where, out);
    const email = str(item, "email", where, out);
    const apiToken = str(item, "apiToken", where, out);
    const bio = item["bio"];
    if (bio !== undefined && typeof bio !== "string") out.push(`${where}.bio must be a string`);
    if (uid !== undefined && users.some((u) => u.uid === uid)) out.push(`${where}.uid ${uid} is used twice`);
    if (publicId !== undefined && users.some((u) => u.publicId === publicId)) {
      out.push(`${where}.publicId "${publicId}" is used twice`);
    }
    if (uid === undefined || publicId === undefined || name === undefined) return;
    if (email === undefined || apiToken === undefined) return;
    users.push({ uid, publicId, name, email, apiToken, ...(typeof bio === "string" ? { bio } : {}) });
  });
  return users;
}

function validateCollaborators(
  raw: unknown,
  where: string,
  users: SeedUser[],
  ownerUid: number,
  out: Problems,
) {
  const list: SeedCollaborator[] = [];
  if (!Array.isArray(raw)) {
    out.push(`${where}.collaborators must be an array`);
    return list;
  }
  raw.forEach((item: unknown, i) => {
    const at = `${where}.collaborators[${i}]`;
    if (!isObject(item)) return void out.push(`${at} must be an object`);
    checkKeys(item, at, ["publicId", "permission", "liveControl"], out);
    const publicId = str(item, "publicId", at, out);
    const permission = item["permission"];
    const liveControl = item["liveControl"];
    if (permission !== "read" && permission !== "write")
      out.push(`${at}.permission must be "read" or "write"`);
    if (typeof liveControl !== "boolean") out.push(`${at}.liveControl must be true or false`);
    if (publicId === undefined) return;
    const user = users.find((u) => u.publicId === publicId);
    if (user === undefined) out.push(`${at}.publicId "${publicId}" is not a user of the seed`);
    else if (user.uid === ownerUid) out.push(`${at}: "${publicId}" owns the project and cannot be listed`);
    if (list.some((c) => c.publicId === publicId)) out.push(`${at}: "${publicId}" is listed twice`);
    if (permission !== "read" && permission !== "write") return;
    if (typeof liveControl !== "boolean") return;
    list.push({ publicId, permission, liveControl });
  });
  return list;
}

function validateProjects(raw: unknown, users: SeedUser[], out: Problems): SeedProject[] {
  if (!Array.isArray(raw)) {
    out.push("projects must be an array");
    return [];
  }
  const projects: SeedProject[] = [];
  const allowed = ["projectId", "name", "ownerUid", "language", "description", "created", "modified"];
  raw.forEach((item: unknown, i) => {
    const where = `projects[${i}]`;
    if (!isObject(item)) return void out.push(`${where} must be an object`);
    checkKeys(item, where, [...allowed, "collaborators"], out);
    const projectId = int(item, "projectId", where, out);
    const name = str(item, "name", where, out);
    const ownerUid = int(item, "ownerUid", where, out);
    const optional: Partial<Record<"language" | "description" | "created" | "modified", string>> = {};
    for (const key of ["language", "description", "created", "modified"] as const) {
      const value = item[key];
      if (value === undefined) continue;
      if (typeof value !== "string") out.push(`${where}.${key} must be a string`);
      else optional[key] = value;
    }
    if (ownerUid !== undefined && !users.some((u) => u.uid === ownerUid)) {
      out.push(`${where}.ownerUid ${ownerUid} is not a user of the seed`);
    }
    const collaborators = validateCollaborators(
      item["collaborators"] ?? [],
      where,
      users,
      ownerUid ?? 0,
      out,
    );
    if (projectId === undefined || name === undefined || ownerUid === undefined) return;
    if (projects.some((p) => p.projectId === projectId))
      out.push(`${where}.projectId ${projectId} is used twice`);
    projects.push({ projectId, name, ownerUid, ...optional, collaborators });
  });
  return projects;
}

function validateLocks(raw: unknown, out: Problems): SeedLock[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    out.push("locks must be an array");
    return undefined;
  }
  const locks: SeedLock[] = [];
  raw.forEach((item: unknown, i) => {
    const where = `locks[${i}]`;
    if (!isObject(item)) return void out.push(`${where} must be an object`);
    const projectId = int(item, "projectId", where, out);
    const uid = int(item, "uid", where, out);
    const codeSourceId = str(item, "codeSourceId", where, out);
    const acquiredAtMs = int(item, "acquiredAtMs", where, out);
    const expiresAtMs = int(item, "expiresAtMs", where, out);
    if (projectId === undefined || uid === undefined || codeSourceId === undefined) return;
    if (acquiredAtMs === undefined || expiresAtMs === undefined) return;
    locks.push({ projectId, uid, codeSourceId, acquiredAtMs, expiresAtMs });
  });
  return locks;
}

/** Checks a parsed seed (or state) object; throws E_CONFIG_SCHEMA listing every problem found. */
export function validateSeed(value: unknown, source = "sandbox seed"): SandboxSeed {
  const out: Problems = [];
  if (!isObject(value)) {
    throw new QcCollabError(
      "E_CONFIG_SCHEMA",
      `${source}: expected a JSON object with "users" and "projects"`,
    );
  }
  checkKeys(value, "(top level)", ["users", "projects", "locks"], out);
  const users = validateUsers(value["users"], out);
  const projects = validateProjects(value["projects"], users, out);
  const locks = validateLocks(value["locks"], out);
  if (out.length > 0) {
    throw new QcCollabError(
      "E_CONFIG_SCHEMA",
      `${source} is not a valid sandbox seed (${out.length} problem(s))`,
      {
        details: out.slice(0, 20),
        hint: "see docs/sandbox.md for the seed format, and examples/sandbox-state.json for an example",
      },
    );
  }
  return { users, projects, ...(locks === undefined ? {} : { locks }) };
}

/** 1-based line and column of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

/**
 * Where a JSON syntax error is: V8 gives a position for most errors; for the rest the YAML parser
 * (JSON is nearly YAML) usually finds the spot.
 */
function syntaxLocation(text: string, message: string): string | undefined {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return lineColumn(text, Number(position));
  const linePos = parseDocument(text).errors[0]?.linePos?.[0];
  return linePos === undefined ? undefined : `${linePos.line}:${linePos.col}`;
}

/** Parses seed or state JSON text; syntax errors name the file, line and column. */
export function parseSeedText(text: string, file: string): SandboxSeed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = syntaxLocation(text, message);
    // V8 quotes a slice of the input after ', "'; a state file holds tokens, so never echo it.
    const reason = (message.split(', "')[0] ?? message).replace(/ in JSON at position \d+.*$/, "");
    throw new QcCollabError(
      "E_CONFIG_SYNTAX",
      `${file}${where === undefined ? "" : `:${where}`}: not valid JSON (${reason})`,
    );
  }
  return validateSeed(parsed, file);
}

/** Reads and validates a seed or state file. */
export function readSeedFile(file: string): SandboxSeed {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new QcCollabError("E_CONFIG_READ", `cannot read sandbox seed ${file} (${reason})`);
  }
  return parseSeedText(text, file);
}
