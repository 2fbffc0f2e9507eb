import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createQuantConnectClient } from "../../src/qc/client.js";
import type { ApiRequestEvent } from "../../src/qc/api.js";
import { QcCollabError } from "../../src/model/errors.js";
import { fakeClock, json, scriptedFetch, status, type RecordedRequest, type Step } from "./scripted-fetch.js";

const TOKEN = "7c1f0e4d9b2a86537c1f0e4d9b2a86537c1f0e4d9b2a86537c1f0e4d9b2a8653";
const NON_HEX_TOKEN = "s3cr3t-Token_with.punctuation+and/slashes==";

/** Everything reachable from an error, as text: message, details, hint, and the whole cause chain. */
function allText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined; depth += 1) {
    if (current instanceof QcCollabError) parts.push(current.message, current.hint ?? "", ...current.details);
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "", JSON.stringify(current));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      break;
    }
  }
  return parts.join("\n");
}

/** Answers that echo the secrets back, the way QuantConnect echoes the hash on a mismatch. */
function echoing(kind: string): Step {
  return (request: RecordedRequest) => {
    const auth = request.headers["authorization"] ?? "";
    const hash =
      Buffer.from(auth.replace(/^Basic /, ""), "base64")
        .toString()
        .split(":")[1] ?? "";
    const echo = `UID: 1 Hash: ${hash} Timestamp: ${request.headers["timestamp"] ?? ""} Authorization: ${auth}`;
    switch (kind) {
      case "401":
        return json({ success: false, errors: [`Hash doesn't match. ${echo}`] }, 401);
      case "auth-200":
        return json({ success: false, errors: [`Hash doesn't match. ${echo}`] });
      case "api-false":
        return json({ success: false, errors: [`bad request ${echo} token=${TOKEN} ${NON_HEX_TOKEN}`] });
      case "500":
        return status(500, {}, `internal ${echo} ${TOKEN} ${NON_HEX_TOKEN} ${auth.replace(/^Basic /, "")}`);
      case "400":
        return status(400, {}, `bad ${echo}`);
      case "network": {
        const cause = Object.assign(
          new Error(`socket died while sending ${echo} ${TOKEN} ${NON_HEX_TOKEN}`),
          {
            code: "ECONNRESET",
          },
        );
        throw new TypeError("fetch failed", { cause });
      }
      default:
        return json({ success: true, collaborators: [{ publicId: 3 }] });
    }
  };
}

describe("secrets never leave the client", () => {
  for (const token of [TOKEN, NON_HEX_TOKEN]) {
    it(`keeps the token, every hash and the Authorization value out of errors and events (${token.length}-char token)`, async () => {
      const clock = fakeClock();
      const events: ApiRequestEvent[] = [];
      const texts: string[] = [];
      const kinds = ["401", "auth-200", "api-false", "500", "400", "network", "bad-shape"];
      const requests: RecordedRequest[] = [];
      for (const kind of kinds) {
        const transport = scriptedFetch([echoing(kind)]);
        const api = createQuantConnectClient({
          apiUrl: "https://qc.test/api/v2",
          credentials: { userId: "1", apiToken: token },
          fetch: transport.fetch,
          now: clock.now,
          sleep: clock.sleep,
          retry: { maxAttempts: 2 },
          onRequest: (event) => events.push(event),
        });
        for (const call of [
          () => api.readCollaborators(5),
          () => api.createCollaborator(5, "x", { permission: "read", liveControl: false }),
        ]) {
          try {
            await call();
            throw new Error(`expected ${kind} to fail`);
          } catch (error) {
            expect(error).toBeInstanceOf(QcCollabError);
            texts.push(allText(error));
          }
        }
        requests.push(...transport.requests);
      }
      texts.push(JSON.stringify(events));
      const everything = texts.join("\n");

      const secrets = new Set<string>([token]);
      for (const request of requests) {
        const auth = request.headers["authorization"] ?? "";
        const timestamp = request.headers["timestamp"] ?? "";
        secrets.add(auth);
        secrets.add(auth.replace(/^Basic /, ""));
        secrets.add(createHash("sha256").update(`${token}:${timestamp}`).digest("hex"));
      }
      expect(secrets.size).toBeGreaterThan(3);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      // The messages still say something useful.
      expect(everything).toContain("Hash doesn't match");
      expect(everything).toContain("[redacted]");
      expect(everything).toContain("ECONNRESET");
    });
  }
});
