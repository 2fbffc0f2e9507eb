import type { IncomingMessage } from "node:http";

/** Request parameters, whatever the encoding they came in (query, JSON, form). */
export type Params = Readonly<Record<string, unknown>>;

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/**
 * Official clients send JSON (docs, mcp-server), form-urlencoded (lean-cli), nothing at all
 * (Lean's ListProjects) or a GET query string (lean-cli, Lean): all are accepted, body fields
 * winning over query fields.
 */
export function parseParams(query: URLSearchParams, body: string, contentType: string | undefined): Params {
  const params: Record<string, unknown> = Object.fromEntries(query.entries());
  const text = body.trim();
  if (text === "") return params;
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(text).entries()) };
  }
  if (type.includes("json") || text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BodyError(400, "request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new BodyError(400, "request body must be a JSON object");
    }
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  // Unlabelled key=value bodies (curl -d without a content type) are form data.
  return { ...params, ...Object.fromEntries(new URLSearchParams(text).entries()) };
}

/** A field failed to parse: the message goes to the client as an application error. */
export class FieldError extends Error {}

export function intField(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(number)) throw new FieldError(`${name} must be an integer`);
  return number;
}

export function requiredInt(params: Params, name: string): number {
  const value = intField(params, name);
  if (value === undefined) throw new FieldError(`${name} is required`);
  return value;
}

/** Booleans arrive as JSON booleans, or as strings from forms and query strings ("true", "1"). */
export function boolField(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
  }
  throw new FieldError(`${name} must be true or false`);
}

export function stringField(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new FieldError(`${name} must be a string`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
