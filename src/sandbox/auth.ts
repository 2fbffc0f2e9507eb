import type { IncomingHttpHeaders } from "node:http";
import { hashToken, hashesEqual, parseBasicAuthorization } from "../qc/signing.js";
import type { SeedUser } from "./seed.js";

/** Lean's documented limit: "Timestamps older than 7200 seconds will not work". */
export const MAX_TIMESTAMP_AGE_SECONDS = 7200;
/**
 * QuantConnect documents no limit for timestamps ahead of its clock; we accept up to 10 minutes
 * of client clock skew and refuse anything further ahead (a millisecond timestamp, say).
 */
export const MAX_TIMESTAMP_FUTURE_SECONDS = 600;

export const WWW_AUTHENTICATE = 'Basic realm="QuantConnect API v2", charset="UTF-8"';

export type AuthResult =
  { readonly ok: true; readonly user: SeedUser } | { readonly ok: false; readonly message: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks the two headers the way QuantConnect does. Messages never contain the token or the hash
 * the client sent (the real API once echoed the hash; we deliberately do not). The "Hash doesn't
 * match." and "UserID not valid" prefixes are kept because lean-cli recognises them.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  findUser: (uid: number) => SeedUser | undefined,
  nowMs: number,
): AuthResult {
  const authorization = header(headers, "authorization");
  const timestamp = header(headers, "timestamp");
  if (authorization === undefined || authorization.trim() === "") {
    return {
      ok: false,
      message:
        "Authorization header missing: send 'Authorization: Basic base64(userId:sha256hex(apiToken:timestamp))' and a 'Timestamp' header",
    };
  }
  const basic = parseBasicAuthorization(authorization);
  if (basic === undefined) {
    return {
      ok: false,
      message: "Authorization header is not valid Basic credentials (base64 of userId:hash)",
    };
  }
  if (timestamp === undefined || timestamp.trim() === "") {
    return { ok: false, message: "Timestamp header missing: send the Unix time in seconds used in the hash" };
  }
  if (!/^\d{1,15}$/.test(timestamp.trim())) {
    return { ok: false, message: "Timestamp header must be the Unix time in whole seconds" };
  }
  const seconds = Number(timestamp.trim());
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds - seconds > MAX_TIMESTAMP_AGE_SECONDS) {
    return {
      ok: false,
      message: `Timestamp is too old for hash (more than ${MAX_TIMESTAMP_AGE_SECONDS} s): sign each request afresh and check the computer clock`,
    };
  }
  if (seconds - nowSeconds > MAX_TIMESTAMP_FUTURE_SECONDS) {
    return {
      ok: false,
      message: `Timestamp is more than ${MAX_TIMESTAMP_FUTURE_SECONDS} s in the future: check the computer clock (the timestamp is in seconds, not milliseconds)`,
    };
  }
  const uid = /^\d{1,15}$/.test(basic.userId) ? Number(basic.userId) : undefined;
  const user = uid === undefined ? undefined : findUser(uid);
  if (user === undefined) {
    const shown = basic.userId.length <= 20 ? basic.userId.replace(/[^\w-]/g, "?") : "?";
    return { ok: false, message: `UserID not valid (${shown}): check QC_USER_ID` };
  }
  if (!hashesEqual(hashToken(user.apiToken, timestamp.trim()), basic.hash.toLowerCase())) {
    return {
      ok: false,
      message: `Hash doesn't match. UID: ${user.uid} Timestamp: ${seconds}: check QC_API_TOKEN and that the hash is sha256hex(apiToken:timestamp)`,
    };
  }
  return { ok: true, user };
}
