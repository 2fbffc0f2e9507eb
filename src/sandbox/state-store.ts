import { existsSync } from "node:fs";
import { createAtomicWriter, type AtomicWriter } from "./atomic-writer.js";
import { LockTable } from "./lock-table.js";
import { readSeedFile, type SandboxSeed, type SeedProject, type SeedUser } from "./seed.js";

/** "YYYY-MM-DD HH:MM:SS" in UTC: the date format of QuantConnect's own payloads. */
export function qcDate(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The sandbox's mutable organisation: users, projects with collaborators, and locks. Lives in
 * memory; every change is persisted (atomically) before the answer is sent.
 */
export class SandboxStore {
  private state: SandboxSeed;
  readonly locks: LockTable;
  private readonly writer: AtomicWriter | undefined;

  private constructor(
    private readonly initial: SandboxSeed,
    current: SandboxSeed,
    private readonly now: () => number,
    statePath: string | undefined,
  ) {
    this.state = clone({ users: current.users, projects: current.projects });
    this.locks = new LockTable(current.locks ?? []);
    this.writer = statePath === undefined ? undefined : createAtomicWriter(statePath);
  }

  /**
   * Loads `statePath` when it exists, else starts from `seed` (and writes the state file at once).
   * `reset()` returns to `seed`, or to the loaded state when no seed was given.
   */
  static async open(options: {
    seed?: SandboxSeed;
    statePath?: string;
    now: () => number;
  }): Promise<SandboxStore> {
    const { seed, statePath, now } = options;
    if (statePath !== undefined && existsSync(statePath)) {
      const loaded = readSeedFile(statePath);
      return new SandboxStore(seed ?? loaded, loaded, now, statePath);
    }
    if (seed === undefined) throw new Error("the sandbox needs a seed or an existing state file");
    const store = new SandboxStore(seed, seed, now, statePath);
    await store.persist();
    return store;
  }

  get users(): readonly SeedUser[] {
    return this.state.users;
  }

  get projects(): readonly SeedProject[] {
    return this.state.projects;
  }

  userByUid(uid: number): SeedUser | undefined {
    return this.state.users.find((u) => u.uid === uid);
  }

  userByPublicId(publicId: string): SeedUser | undefined {
    return this.state.users.find((u) => u.publicId === publicId);
  }

  project(projectId: number): SeedProject | undefined {
    return this.state.projects.find((p) => p.projectId === projectId);
  }

  /** Marks a project changed now (its `modified` date) after a collaborator write. */
  touch(project: SeedProject): void {
    project.modified = qcDate(this.now());
  }

  snapshot(): SandboxSeed {
    return { ...clone(this.state), locks: this.locks.list(this.now()) };
  }

  async persist(): Promise<void> {
    if (this.writer === undefined) return;
    await this.writer.write(() => `${JSON.stringify(this.snapshot(), null, 2)}\n`);
  }

  async reset(): Promise<void> {
    this.state = clone({ users: this.initial.users, projects: this.initial.projects });
    this.locks.load(this.initial.locks ?? []);
    await this.persist();
  }
}
