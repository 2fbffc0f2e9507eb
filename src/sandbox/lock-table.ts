import type { SeedLock } from "./seed.js";

/**
 * The project lock (DESIGN.md §7): the holder is (user, codeSourceId) until the TTL runs out.
 * The same holder re-acquires freely (which renews the TTL); anybody else waits for expiry.
 * No release endpoint exists in the real API, so none exists here either.
 */
export type LockOutcome =
  { readonly ok: true; readonly lock: SeedLock } | { readonly ok: false; readonly holder: SeedLock };

export class LockTable {
  private readonly locks = new Map<number, SeedLock>();

  constructor(initial: readonly SeedLock[] = []) {
    this.load(initial);
  }

  /** Replaces every lock (state file load, reset). */
  load(locks: readonly SeedLock[]): void {
    this.locks.clear();
    for (const lock of locks) this.locks.set(lock.projectId, { ...lock });
  }

  /** The unexpired lock of a project, if any. */
  active(projectId: number, nowMs: number): SeedLock | undefined {
    const lock = this.locks.get(projectId);
    return lock !== undefined && lock.expiresAtMs > nowMs ? lock : undefined;
  }

  acquire(projectId: number, uid: number, codeSourceId: string, nowMs: number, ttlMs: number): LockOutcome {
    const current = this.active(projectId, nowMs);
    if (current !== undefined && (current.uid !== uid || current.codeSourceId !== codeSourceId)) {
      return { ok: false, holder: current };
    }
    const lock: SeedLock = {
      projectId,
      uid,
      codeSourceId,
      acquiredAtMs: current?.acquiredAtMs ?? nowMs,
      expiresAtMs: nowMs + ttlMs,
    };
    this.locks.set(projectId, lock);
    return { ok: true, lock };
  }

  /** Unexpired locks, for the admin view and the state file. */
  list(nowMs: number): SeedLock[] {
    return [...this.locks.values()].filter((l) => l.expiresAtMs > nowMs).map((l) => ({ ...l }));
  }
}
