import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { planFromDesired } from "../src/app/index.js";
import { loadDesiredFile } from "../src/desired/index.js";
import type { LiveCollaborator } from "../src/model/live-state.js";
import type { QuantConnectApi } from "../src/qc/api.js";
import { generateDesiredYaml, generateSeed, ownerOf } from "./generate.js";
import { measureValidateLarge } from "./validate-large.js";

/**
 * Run as its own process (`node build/bench/cpu-large-child.js PROJECTS COLLABORATORS`) so its
 * maxRSS is the CPU case's alone. Prints one JSON line: the measured figures.
 */

function inMemoryApi(live: ReadonlyMap<number, LiveCollaborator[]>): QuantConnectApi {
  const unsupported = (): Promise<never> => Promise.reject(new Error("read-only benchmark api"));
  return {
    authenticate: () => Promise.resolve(),
    listProjects: unsupported,
    readCollaborators: (projectId) => Promise.resolve(live.get(projectId) ?? []),
    createCollaborator: unsupported,
    updateCollaborator: unsupported,
    deleteCollaborator: unsupported,
    acquireLock: unsupported,
  };
}

async function main(): Promise<void> {
  const projects = Number(process.argv[2] ?? "10000");
  const collaborators = Number(process.argv[3] ?? "25");
  const seed = generateSeed({ projects, collaborators });
  const dir = mkdtempSync(join(tmpdir(), "qc-collab-cpu-"));
  const file = join(dir, "collaborators.yaml");
  const yaml = generateDesiredYaml(seed, { changed: true });
  writeFileSync(file, yaml);
  const owner = ownerOf(seed);
  const names = new Map(seed.users.map((u) => [u.publicId, u]));
  const live = new Map<number, LiveCollaborator[]>();
  for (const p of seed.projects) {
    live.set(p.projectId, [
      {
        publicId: owner.publicId,
        uid: owner.uid,
        name: owner.name,
        permission: "write",
        liveControl: true,
        owner: true,
      },
      ...p.collaborators.map((c) => ({
        publicId: c.publicId,
        uid: names.get(c.publicId)?.uid ?? null,
        name: names.get(c.publicId)?.name ?? c.publicId,
        permission: c.permission,
        liveControl: c.liveControl,
        owner: false,
      })),
    ]);
  }
  const api = inMemoryApi(live);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const baselineRss = process.memoryUsage().rss;

  const t0 = performance.now();
  const loaded = await loadDesiredFile(file);
  const t1 = performance.now();
  if (loaded.value === undefined || loaded.errors.length > 0) {
    throw new Error(`generated file invalid: ${loaded.errors.map((e) => e.message).join("; ")}`);
  }
  const { plan } = await planFromDesired({
    desired: loaded.value,
    api,
    identity: { uid: owner.uid },
    concurrency: 16,
    now: new Date(),
  });
  const t2 = performance.now();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  rmSync(dir, { recursive: true, force: true });
  const changes = plan.projects.reduce((n, p) => n + p.changes.length, 0);
  process.stdout.write(
    `${JSON.stringify({
      projects,
      collaborators,
      fileBytes: Buffer.byteLength(yaml),
      loadValidateMs: t1 - t0,
      planMs: t2 - t1,
      totalMs: t2 - t0,
      baselineRssMB: baselineRss / 2 ** 20,
      sampledPeakRssMB: peakRss / 2 ** 20,
      // resourceUsage().maxRSS is in kilobytes; it covers the generation before the timer too.
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      changes,
    })}\n`,
  );
}

if (process.argv[2] === "validate-only") {
  process.stdout.write(`${JSON.stringify(await measureValidateLarge())}\n`);
} else {
  await main();
}
