import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import { renderDiagnosticsGithub } from "../../src/report/diagnostics-github.js";
import { renderDiagnosticsJson } from "../../src/report/diagnostics-json.js";
import { renderDiagnosticsText } from "../../src/report/diagnostics-text.js";

const error: Diagnostic = {
  severity: "error",
  code: "E_CONFIG_UNKNOWN_KEY",
  message: "unknown key 'permision'; did you mean 'permission'?",
  location: { file: "collaborators.yaml", line: 12, col: 9 },
};
const warning: Diagnostic = {
  severity: "warning",
  code: "W_EXPIRED_GRANT",
  message: "100% expired,\r\nreally",
  location: { file: "dir:a,b/c.yaml", line: 3, col: 1 },
};

describe("diagnostic renderers", () => {
  it("text: file:line:col: severity CODE: message, colour only when asked", () => {
    expect(renderDiagnosticsText([error, warning], { color: false })).toBe(
      "collaborators.yaml:12:9: error E_CONFIG_UNKNOWN_KEY: unknown key 'permision'; did you mean 'permission'?\n" +
        "dir:a,b/c.yaml:3:1: warning W_EXPIRED_GRANT: 100% expired,\r\nreally\n",
    );
    const coloured = renderDiagnosticsText([error], { color: true });
    expect(coloured).toContain("\u001b[31merror E_CONFIG_UNKNOWN_KEY");
    expect(coloured.replaceAll(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), "")).toBe(
      renderDiagnosticsText([error], { color: false }),
    );
  });

  it("json: versioned, stable keys, valid only without errors", () => {
    const parsed = JSON.parse(
      renderDiagnosticsJson({ value: undefined, errors: [error], warnings: [warning] }),
    ) as unknown;
    expect(parsed).toEqual({
      formatVersion: 1,
      valid: false,
      errors: [
        {
          severity: "error",
          code: "E_CONFIG_UNKNOWN_KEY",
          message: error.message,
          file: "collaborators.yaml",
          line: 12,
          col: 9,
        },
      ],
      warnings: [expect.objectContaining({ code: "W_EXPIRED_GRANT", line: 3 }) as unknown],
    });
    expect(JSON.parse(renderDiagnosticsJson({ value: {}, errors: [], warnings: [warning] }))).toMatchObject({
      valid: true,
    });
  });

  it("github: workflow commands with GitHub's escaping", () => {
    expect(renderDiagnosticsGithub([error, warning])).toBe(
      "::error file=collaborators.yaml,line=12,col=9,title=E_CONFIG_UNKNOWN_KEY::unknown key 'permision'; did you mean 'permission'?\n" +
        "::warning file=dir%3Aa%2Cb/c.yaml,line=3,col=1,title=W_EXPIRED_GRANT::100%25 expired,%0D%0Areally\n",
    );
  });
});
