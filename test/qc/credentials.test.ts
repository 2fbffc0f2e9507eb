import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { leanCredentialsPath, resolveApiUrl, resolveCredentials } from "../../src/qc/credentials.js";
import { DEFAULT_API_URL } from "../../src/qc/wire-types.js";
import { failure } from "./expect-failure.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "qc-collab-home-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function writeLean(content: string): Promise<void> {
  await mkdir(join(home, ".lean"), { recursive: true });
  await writeFile(leanCredentialsPath(home), content);
}

describe("resolveCredentials", () => {
  it("prefers QC_*, then QUANTCONNECT_*, then ~/.lean/credentials", async () => {
    await writeLean(JSON.stringify({ "user-id": "3", "api-token": "lean-token" }));
    const all = {
      QC_USER_ID: "1",
      QC_API_TOKEN: "qc-token",
      QUANTCONNECT_USER_ID: "2",
      QUANTCONNECT_API_TOKEN: "quantconnect-token",
    };
    expect(await resolveCredentials({ env: all, homeDir: home })).toEqual({
      userId: "1",
      apiToken: "qc-token",
    });
    expect(
      await resolveCredentials({
        env: { QUANTCONNECT_USER_ID: "2", QUANTCONNECT_API_TOKEN: "quantconnect-token" },
        homeDir: home,
      }),
    ).toEqual({ userId: "2", apiToken: "quantconnect-token" });
    expect(await resolveCredentials({ env: {}, homeDir: home })).toEqual({
      userId: "3",
      apiToken: "lean-token",
    });
  });

  it("reads a numeric user-id from the lean file and trims whitespace", async () => {
    await writeLean(JSON.stringify({ "user-id": 123456, "api-token": " tok \n" }));
    expect(await resolveCredentials({ env: { QC_USER_ID: "  " }, homeDir: home })).toEqual({
      userId: "123456",
      apiToken: "tok",
    });
  });

  it("lists what it tried when nothing is found", async () => {
    const error = await failure(resolveCredentials({ env: {}, homeDir: home }));
    expect(error.code).toBe("E_CREDENTIALS");
    expect(error.details).toEqual([
      "tried QC_USER_ID / QC_API_TOKEN (not set)",
      "tried QUANTCONNECT_USER_ID / QUANTCONNECT_API_TOKEN (not set)",
      `tried ${join(home, ".lean", "credentials")} (not found)`,
    ]);
    expect(error.hint).toContain("--sandbox");
  });

  it("refuses a half-set pair instead of falling through to other credentials", async () => {
    await writeLean(JSON.stringify({ "user-id": "3", "api-token": "lean-token" }));
    const error = await failure(resolveCredentials({ env: { QC_API_TOKEN: "secret-value" }, homeDir: home }));
    expect(error.code).toBe("E_CREDENTIALS");
    expect(error.message).toBe("QC_API_TOKEN is set but QC_USER_ID is not");
    expect(error.message + (error.hint ?? "")).not.toContain("secret-value");
  });

  it("requires a numeric user id and does not echo it", async () => {
    const error = await failure(
      resolveCredentials({ env: { QC_USER_ID: "deadbeefcafe", QC_API_TOKEN: "t" }, homeDir: home }),
    );
    expect(error.code).toBe("E_CREDENTIALS");
    expect(error.message).toContain("not numeric");
    expect(error.message).not.toContain("deadbeefcafe");
  });

  it("explains a broken or incomplete lean credentials file", async () => {
    await writeLean("{not json");
    expect((await failure(resolveCredentials({ env: {}, homeDir: home }))).message).toContain(
      "is not valid JSON",
    );
    await writeLean(JSON.stringify({ "user-id": "5" }));
    expect((await failure(resolveCredentials({ env: {}, homeDir: home }))).message).toContain(
      'has no "api-token"',
    );
  });

  it("uses the injected readFile", async () => {
    const seen: string[] = [];
    const credentials = await resolveCredentials({
      env: {},
      homeDir: "/nowhere",
      readFile: (path) => {
        seen.push(path);
        return Promise.resolve('{"user-id":"9","api-token":"x"}');
      },
    });
    expect(credentials).toEqual({ userId: "9", apiToken: "x" });
    expect(seen).toEqual([join("/nowhere", ".lean", "credentials")]);
  });
});

describe("resolveApiUrl", () => {
  it("takes the flag, then QC_API_URL, then the default, without a trailing slash", () => {
    expect(resolveApiUrl("http://127.0.0.1:5612/api/v2/", { QC_API_URL: "https://x.test/api/v2" })).toBe(
      "http://127.0.0.1:5612/api/v2",
    );
    expect(resolveApiUrl(undefined, { QC_API_URL: "https://x.test/api/v2" })).toBe("https://x.test/api/v2");
    expect(resolveApiUrl(undefined, { QC_API_URL: "" })).toBe(DEFAULT_API_URL);
  });

  it("rejects what is not an http(s) URL", () => {
    expect(() => resolveApiUrl("not a url", {})).toThrow(/not a valid URL/);
    expect(() => resolveApiUrl("ftp://x.test/", {})).toThrow(/http or https/);
  });
});
