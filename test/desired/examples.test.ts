import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadDesiredFile } from "../../src/desired/load-desired-file.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const schemaText = readFileSync(`${ROOT}schemas/collaborators.schema.json`, "utf8");
const schema = JSON.parse(schemaText) as Record<string, unknown>;
const files = [
  "collaborators.yaml",
  ...readdirSync(`${ROOT}examples`)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `examples/${name}`),
];

describe("the shipped schema", () => {
  it("compiles in strict mode and describes every property", () => {
    expect(() => new Ajv2020({ strict: true, strictRequired: false }).compile(schema)).not.toThrow();
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== "object" || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const [name, sub] of Object.entries(properties ?? {})) {
        const described =
          typeof sub === "object" &&
          sub !== null &&
          ("description" in sub || ("$ref" in sub && typeof resolve(String(sub.$ref)) === "object"));
        if (!described) undescribed.push(`${path}/${name}`);
      }
      for (const [key, value] of Object.entries(node)) visit(value, `${path}/${key}`);
    };
    const resolve = (ref: string): unknown => {
      const def = (schema["$defs"] as Record<string, { description?: string }>)[ref.replace("#/$defs/", "")];
      return def?.description === undefined ? undefined : def;
    };
    visit(schema, "#");
    expect(undescribed).toEqual([]);
    // additionalProperties: false on every object with properties
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string, unknown>;
      if ("properties" in record && record["additionalProperties"] !== false) open.push(path);
      for (const [key, value] of Object.entries(record)) walk(value, `${path}/${key}`);
    };
    walk(schema, "#");
    expect(open).toEqual([]);
  });

  it.each(files)("accepts %s (checked by ajv directly, independent of the loader)", (file) => {
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    const document: unknown = parse(readFileSync(`${ROOT}${file}`, "utf8"));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(files)("%s validates without errors through the loader", async (file) => {
    const result = await loadDesiredFile(file, { cwd: ROOT, now: new Date("2026-06-01T00:00:00Z") });
    expect(result.errors).toEqual([]);
    expect(result.value?.projects.length).toBeGreaterThan(0);
  });

  it("has several realistic examples", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
});
