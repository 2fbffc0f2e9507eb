import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { resolve } from "node:path";
import type { ValidationResult } from "../model/diagnostic.js";
import type { DesiredState } from "../model/desired-state.js";
import { DIAGNOSTIC_CODES, MAX_CONFIG_BYTES, type DiagnosticCode } from "./diagnostic-codes.js";
import { errorAt } from "./make-diagnostic.js";
import { parseDesiredState, tooLargeMessage, type ParseDesiredOptions } from "./parse-desired-state.js";

export interface LoadDesiredOptions extends Omit<ParseDesiredOptions, "digest"> {
  /** Directory a relative path is resolved against. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * Reads and validates a collaborators file. Diagnostics name the file as the user wrote it.
 * Never throws for a bad or missing file: that is a diagnostic too.
 */
export async function loadDesiredFile(
  path: string,
  options: LoadDesiredOptions = {},
): Promise<ValidationResult<DesiredState>> {
  const at11 = { file: path, line: 1, col: 1 };
  const fail = (code: DiagnosticCode, message: string): ValidationResult<DesiredState> => ({
    value: undefined,
    errors: [errorAt(code, message, at11)],
    warnings: [],
  });
  let bytes: Buffer;
  try {
    const read = await readBounded(resolve(options.cwd ?? process.cwd(), path), MAX_CONFIG_BYTES);
    if (read.tooLarge) {
      return fail(DIAGNOSTIC_CODES.configTooLarge, tooLargeMessage(read.size));
    }
    bytes = read.bytes;
  } catch (error) {
    return fail(DIAGNOSTIC_CODES.configRead, readErrorMessage(error));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    // Located like every other diagnostic; bytes and characters agree on the line, which is what matters.
    const lineStart = bytes.lastIndexOf(0x0a, nul) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < nul; i = bytes.indexOf(0x0a, i + 1)) line++;
    return {
      value: undefined,
      errors: [
        errorAt(
          DIAGNOSTIC_CODES.configNotText,
          "this is not a text file (it contains a NUL byte); expected a YAML collaborators file",
          { file: path, line, col: nul - lineStart + 1 },
        ),
      ],
      warnings: [],
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail(
      DIAGNOSTIC_CODES.configNotText,
      "this is not a UTF-8 text file; expected a YAML collaborators file",
    );
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  return parseDesiredState(text, path, {
    ...(options.now === undefined ? {} : { now: options.now }),
    digest,
  });
}

/**
 * Reads at most `limit` bytes (+1 to detect "more"): the size is checked before parsing, and a
 * device or FIFO that never ends (/dev/zero) cannot make us read forever.
 */
async function readBounded(
  path: string,
  limit: number,
): Promise<{ tooLarge: false; bytes: Buffer } | { tooLarge: true; size: number }> {
  const handle = await open(path, "r");
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > limit) return { tooLarge: true, size: info.size };
    const buffer = Buffer.allocUnsafe(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) return { tooLarge: true, size: filled };
    return { tooLarge: false, bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

function readErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "file not found (use -f to name the collaborators file)";
  if (code === "EISDIR") return "this is a directory, not a collaborators file";
  if (code === "EACCES" || code === "EPERM") return "permission denied while reading the file";
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}
