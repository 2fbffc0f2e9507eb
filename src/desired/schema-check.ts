import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import schema from "../../schemas/collaborators.schema.json" with { type: "json" };
import type { Diagnostic } from "../model/diagnostic.js";
import { DIAGNOSTIC_CODES } from "./diagnostic-codes.js";
import { didYouMean } from "../util/did-you-mean.js";
import { errorAt } from "./make-diagnostic.js";
import type { PathSegment, PositionIndex } from "./position-index.js";

// Compiled once per process: compiling costs far more than validating a typical file.
const validate = new Ajv2020({ allErrors: true, verbose: true }).compile(schema);

export { schema as COLLABORATORS_SCHEMA };

/** JSON Schema validation, every ajv error turned into a located, human diagnostic. */
export function checkSchema(root: unknown, index: PositionIndex): Diagnostic[] {
  if (validate(root)) return [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const diagnostic = describe(error, root, index);
    if (diagnostic === undefined) continue;
    const key = `${diagnostic.location.line}:${diagnostic.location.col}:${diagnostic.code}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function describe(error: ErrorObject, root: unknown, index: PositionIndex): Diagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const at = (part: "key" | "value" = "value", extra: readonly PathSegment[] = []) =>
    index.locate(root, [...path, ...extra], part);
  const name = describePath(path);
  const data: unknown = error.data;
  const schemaError = (message: string, part: "key" | "value" = "value") =>
    errorAt(DIAGNOSTIC_CODES.configSchema, message, at(part));

  // Noise: `if` repeats its branch's errors; anyOf's branches are summarised by the anyOf error;
  // propertyNames' inner errors are summarised by the propertyNames error.
  if (error.keyword === "if" || error.propertyName !== undefined) return undefined;
  if (error.keyword === "required" && /\/anyOf\/\d+\/required$/.test(error.schemaPath)) return undefined;

  const last = path.at(-1);
  if (last === "expires" && (error.keyword === "pattern" || error.keyword === "type")) {
    return schemaError(`${name} must be a date written YYYY-MM-DD (e.g. 2027-03-31), not ${show(data)}`);
  }
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params["additionalProperty"]);
      const known = Object.keys((error.parentSchema?.["properties"] ?? {}) as Record<string, unknown>);
      const hint = didYouMean(key, known);
      const list = hint === "" ? ` (allowed here: ${known.join(", ")})` : hint;
      return errorAt(
        DIAGNOSTIC_CODES.unknownKey,
        `unknown key '${key}' in ${where(path)}${list}`,
        at("key", [key]),
      );
    }
    case "propertyNames": {
      const team = String(error.params["propertyName"]);
      return errorAt(
        DIAGNOSTIC_CODES.configSchema,
        `team name '${team}' is not allowed: use letters, digits, '_', '-' and '.', starting with a letter or digit`,
        at("key", [team]),
      );
    }
    case "required": {
      const missing = String(error.params["missingProperty"]);
      if (missing === "user" && path.at(-2) === "collaborators") {
        return schemaError("a collaborator entry needs `user:` (a QuantConnect public id) or `team:`");
      }
      if (missing === "collaborators") {
        return schemaError("a project needs `collaborators:` (write `collaborators: []` to declare no one)");
      }
      return schemaError(`${where(path)} is missing the required key '${missing}'`);
    }
    case "anyOf":
      return schemaError("a project needs an `id:` (the number in its URL) or a `name:`, or both");
    case "type":
      return describeType(error, path, name, data, at);
    case "enum":
      return schemaError(
        `${name} must be one of ${allowedList(error)}, not ${show(data)}${didYouMean(String(data), allowed(error))}`,
      );
    case "const":
      return schemaError(
        `${name} must be ${JSON.stringify(error.params["allowedValue"])}, not ${show(data)}`,
      );
    case "pattern":
      if (last === "user") {
        const email = typeof data === "string" && data.includes("@");
        return schemaError(
          `${show(data)} is not a QuantConnect public id (letters, digits, '_', '-', '.')` +
            (email ? ": use the handle from the profile URL, not the e-mail address" : ""),
        );
      }
      return schemaError(`${name} ${error.message ?? "is invalid"}, not ${show(data)}`);
    default:
      return schemaError(`${name} ${error.message ?? "is invalid"}`);
  }
}

function describeType(
  error: ErrorObject,
  path: readonly PathSegment[],
  name: string,
  data: unknown,
  at: () => ReturnType<PositionIndex["locate"]>,
): Diagnostic {
  const last = path.at(-1);
  if (last === "user" && typeof data === "number") {
    return errorAt(
      DIAGNOSTIC_CODES.nameVsId,
      `\`user: ${data}\` looks like a numeric user id; \`user\` takes the QuantConnect public id, ` +
        "the handle in the profile URL (e.g. alice_q)",
      at(),
    );
  }
  if (last === "id" && path.at(-3) === "projects" && typeof data === "string") {
    return /^\d+$/.test(data.trim())
      ? errorAt(
          DIAGNOSTIC_CODES.configSchema,
          `project id must be a number: write \`id: ${data.trim()}\` without quotes`,
          at(),
        )
      : errorAt(
          DIAGNOSTIC_CODES.nameVsId,
          `\`id: ${data}\` is not a project id (a number); to refer to a project by its name, write \`name: ${data}\``,
          at(),
        );
  }
  if (last === "name" && path.at(-3) === "projects" && typeof data === "number") {
    return errorAt(
      DIAGNOSTIC_CODES.nameVsId,
      `\`name: ${data}\` is a number; if it is the project id, write \`id: ${data}\` (names are text)`,
      at(),
    );
  }
  const expected = String(error.params["type"]).replace("object", "a mapping").replace("array", "a list");
  return errorAt(
    DIAGNOSTIC_CODES.configSchema,
    `${name} must be ${article(expected)}, found ${kindOf(data)}`,
    at(),
  );
}

function parsePointer(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => {
      const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      return /^\d+$/.test(segment) ? Number(segment) : segment;
    });
}

/** `projects[2].collaborators[0].permission` → "`permission`"; the top level → "the file". */
function describePath(path: readonly PathSegment[]): string {
  const last = path.at(-1);
  if (last === undefined) return "the file";
  if (typeof last === "number") return `item ${last + 1} of \`${String(path.at(-2))}\``;
  return `\`${last}\``;
}

/** What kind of mapping an unknown key sits in, in the words of the format. */
function where(path: readonly PathSegment[]): string {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (path.length === 0) return "the top level";
  if (typeof last === "number" && parent === "projects") return "a project";
  if (typeof last === "number" && parent === "collaborators") return "a collaborator entry";
  if (typeof last === "number") return "a team member entry";
  return `\`${String(last)}\``;
}

function allowed(error: ErrorObject): string[] {
  const values = error.params["allowedValues"] as unknown;
  return Array.isArray(values) ? values.map(String) : [];
}

function allowedList(error: ErrorObject): string {
  return allowed(error).join(" or ");
}

function show(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value === undefined) return "nothing";
  return JSON.stringify(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text '${value}'`;
  if (typeof value === "number" || typeof value === "boolean") return `the ${typeof value} ${String(value)}`;
  return typeof value;
}

function article(word: string): string {
  if (word.startsWith("a ")) return word;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
