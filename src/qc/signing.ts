import { createHash, timingSafeEqual } from "node:crypto";

/** API credentials. `apiToken` must never be printed, logged or written to disk by this tool. */
export interface Credentials {
  /** Numeric QuantConnect user id, as a decimal string. */
  readonly userId: string;
  readonly apiToken: string;
}

/** Lowercase hex sha256 of `apiToken:timestamp`, as every official client computes it. */
export function hashToken(apiToken: string, timestamp: string): string {
  return createHash("sha256").update(`${apiToken}:${timestamp}`, "utf8").digest("hex");
}

/**
 * The two headers QuantConnect checks. `nowMs` is injected (clock) so every attempt signs afresh
 * and tests are deterministic. The timestamp is whole Unix seconds.
 */
export function signRequest(
  credentials: Credentials,
  nowMs: number,
): { Timestamp: string; Authorization: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const hash = hashToken(credentials.apiToken, timestamp);
  const basic = Buffer.from(`${credentials.userId}:${hash}`, "utf8").toString("base64");
  return { Timestamp: timestamp, Authorization: `Basic ${basic}` };
}

/** Reads `Authorization: Basic base64(userId:hash)`; undefined when malformed. Used by the sandbox. */
export function parseBasicAuthorization(
  header: string | undefined,
): { userId: string; hash: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  return { userId: decoded.slice(0, colon), hash: decoded.slice(colon + 1) };
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
