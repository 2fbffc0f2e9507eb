import { readFile as fsReadFile } from "node:fs/promises";
import { join } from "node:path";
import { QcCollabError } from "../model/errors.js";
import type { Credentials } from "./signing.js";
import { DEFAULT_API_URL } from "./wire-types.js";

export interface CredentialSources {
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir: string;
  /** Injected for tests; rejects with an ENOENT-coded error when the file does not exist. */
  readonly readFile?: ((path: string) => Promise<string>) | undefined;
}

const ENV_PAIRS = [
  ["QC_USER_ID", "QC_API_TOKEN"],
  ["QUANTCONNECT_USER_ID", "QUANTCONNECT_API_TOKEN"],
] as const;

/** Where the lean CLI keeps `lean login` credentials. */
export function leanCredentialsPath(homeDir: string): string {
  return join(homeDir, ".lean", "credentials");
}

/**
 * The first complete source wins: QC_USER_ID/QC_API_TOKEN, then QUANTCONNECT_USER_ID/
 * QUANTCONNECT_API_TOKEN, then ~/.lean/credentials. A half-set pair is an error rather than a
 * fall-through, because silently using other credentials than the ones the user meant to set
 * would act as somebody else.
 */
export async function resolveCredentials(sources: CredentialSources): Promise<Credentials> {
  const tried: string[] = [];
  for (const [userKey, tokenKey] of ENV_PAIRS) {
    const userId = nonEmpty(sources.env[userKey]);
    const apiToken = nonEmpty(sources.env[tokenKey]);
    if (userId !== undefined && apiToken !== undefined) return checked(userId, apiToken, userKey);
    if (userId !== undefined || apiToken !== undefined) {
      const missing = userId === undefined ? userKey : tokenKey;
      const present = userId === undefined ? tokenKey : userKey;
      throw new QcCollabError("E_CREDENTIALS", `${present} is set but ${missing} is not`, {
        hint: `set both ${userKey} and ${tokenKey}, or neither.`,
      });
    }
    tried.push(`${userKey} / ${tokenKey} (not set)`);
  }

  const path = leanCredentialsPath(sources.homeDir);
  const read = sources.readFile ?? ((file: string) => fsReadFile(file, "utf8"));
  let text: string | undefined;
  try {
    text = await read(path);
  } catch (error) {
    if (errorCode(error) !== "ENOENT" && errorCode(error) !== "ENOTDIR") {
      throw new QcCollabError("E_CREDENTIALS", `cannot read ${path}: ${errorCode(error) ?? "unreadable"}`);
    }
    tried.push(`${path} (not found)`);
  }
  if (text !== undefined) return fromLeanFile(path, text);

  throw new QcCollabError("E_CREDENTIALS", "no QuantConnect credentials found", {
    details: tried.map((source) => `tried ${source}`),
    hint:
      "set QC_USER_ID and QC_API_TOKEN (from https://www.quantconnect.com/account), run `lean login`, " +
      "or try the tool without an account: add --sandbox.",
  });
}

function fromLeanFile(path: string, text: string): Credentials {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new QcCollabError("E_CREDENTIALS", `${path} is not valid JSON`, {
      hint: 'expected {"user-id": "...", "api-token": "..."} as written by `lean login`.',
    });
  }
  const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const rawUser = record["user-id"];
  const userId = nonEmpty(
    typeof rawUser === "number" ? String(rawUser) : typeof rawUser === "string" ? rawUser : undefined,
  );
  const apiToken = nonEmpty(typeof record["api-token"] === "string" ? record["api-token"] : undefined);
  if (userId === undefined || apiToken === undefined) {
    const missing = [
      userId === undefined ? '"user-id"' : undefined,
      apiToken === undefined ? '"api-token"' : undefined,
    ]
      .filter((item) => item !== undefined)
      .join(" and ");
    throw new QcCollabError("E_CREDENTIALS", `${path} has no ${missing}`, {
      hint: "run `lean login` again, or set QC_USER_ID and QC_API_TOKEN.",
    });
  }
  return checked(userId, apiToken, path);
}

function checked(userId: string, apiToken: string, source: string): Credentials {
  if (!/^\d+$/.test(userId)) {
    // The id is not secret, but it may be a pasted token: show only its shape.
    throw new QcCollabError(
      "E_CREDENTIALS",
      `the user id from ${source} is not numeric (${userId.length} characters)`,
      {
        hint: "QuantConnect user ids are numbers; find yours at https://www.quantconnect.com/account.",
      },
    );
  }
  return { userId, apiToken };
}

/** --api-url, then QC_API_URL, then QuantConnect's own API root; a trailing slash is dropped. */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env["QC_API_URL"]) ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new QcCollabError("E_USAGE", `the API URL ${JSON.stringify(chosen)} is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new QcCollabError("E_USAGE", `the API URL must use http or https, got ${url.protocol}`);
  }
  return chosen.replace(/\/+$/, "");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
