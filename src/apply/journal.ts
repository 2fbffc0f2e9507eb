import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { JournalEntry } from "../model/apply-result.js";
import { QcCollabError } from "../model/errors.js";

/** Where apply records every operation. Appends are serialised: one entry is one whole line. */
export interface JournalSink {
  append(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
}

/** The default location, relative to the working directory (DESIGN.md §5). */
export const DEFAULT_JOURNAL_PATH = ".qc-collab/journal.jsonl";

/**
 * Opens (creating it and its directory if needed) a JSON-lines journal in append mode. Opening
 * happens before apply writes anything, so an unwritable journal stops the run while nothing has
 * changed yet: an apply that cannot be audited should not happen.
 */
export async function openFileJournal(path: string): Promise<JournalSink> {
  let handle: FileHandle;
  try {
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, "a");
  } catch (error) {
    throw new QcCollabError("E_USAGE", `cannot open the journal ${path}: ${(error as Error).message}`, {
      hint: "choose another file with --journal FILE",
      cause: error,
    });
  }
  let queue: Promise<void> = Promise.resolve();
  return {
    append(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      // Each line waits for the one before it, but not for its success: one failed append must
      // fail only itself, never silently drop every later line.
      const written = queue.catch(() => undefined).then(() => handle.appendFile(line, "utf8"));
      queue = written;
      return written;
    },
    async close() {
      await queue.catch(() => undefined);
      await handle.close();
    },
  };
}

/** A journal kept in memory: for callers that record elsewhere (the Action's summary, tests). */
export function memoryJournal(): JournalSink & { readonly entries: JournalEntry[] } {
  const entries: JournalEntry[] = [];
  return {
    entries,
    append(entry) {
      entries.push(entry);
      return Promise.resolve();
    },
    close() {
      return Promise.resolve();
    },
  };
}
