import { mkdir, rename, writeFile, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

/**
 * Writes a file atomically (temp file in the same directory + rename), coalescing bursts: while a
 * write is running, later requests wait for one more write of the newest content. A reader (or a
 * crash) therefore never sees a half-written state file, and every caller's change is on disk
 * when its promise resolves.
 */
export interface AtomicWriter {
  write(content: () => string): Promise<void>;
}

export function createAtomicWriter(path: string): AtomicWriter {
  let running: Promise<void> | undefined;
  let pending:
    { content: () => string; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;
  let counter = 0;

  async function writeOnce(text: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    counter += 1;
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
    try {
      await writeFile(temp, text, "utf8");
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  function drain(): void {
    if (running !== undefined || pending === undefined) return;
    const batch = pending;
    pending = undefined;
    running = writeOnce(batch.content())
      .then(
        () => {
          for (const w of batch.waiters) w.resolve();
        },
        (error: unknown) => {
          for (const w of batch.waiters) w.reject(error);
        },
      )
      .finally(() => {
        running = undefined;
        drain();
      });
  }

  return {
    write(content) {
      return new Promise<void>((resolve, reject) => {
        if (pending === undefined) pending = { content, waiters: [] };
        pending.content = content;
        pending.waiters.push({ resolve, reject });
        drain();
      });
    },
  };
}
