/**
 * Secrets must never reach a message, log line or file (DESIGN.md §1). QuantConnect itself echoes
 * the hash back ("Hash doesn't match. UID: 1 Hash: <hash> ..."), so every text that came from the
 * wire or from a lower layer passes through here before it becomes part of an error or event.
 */
const REDACTED = "[redacted]";

// A sha256 hex digest (the signed hash, and QuantConnect tokens have the same shape).
const HEX_DIGEST = /\b[0-9a-f]{64}\b/gi;
// The Authorization header value, with or without its scheme.
const BASIC_VALUE = /\bBasic\s+[A-Za-z0-9+/]+={0,2}/gi;
const LONG_BASE64 = /[A-Za-z0-9+/]{80,}={0,2}/g;

export function redactSecrets(text: string, apiToken?: string): string {
  let result = text;
  if (apiToken !== undefined && apiToken.length > 0) result = result.split(apiToken).join(REDACTED);
  return result
    .replace(BASIC_VALUE, `Basic ${REDACTED}`)
    .replace(HEX_DIGEST, REDACTED)
    .replace(LONG_BASE64, REDACTED);
}
