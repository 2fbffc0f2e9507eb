import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ReconcilerMetrics } from "./metrics.js";
import type { RunRecord } from "./run-record.js";

export interface HealthState {
  /** The last finished run, if any. */
  lastRun(): RunRecord | undefined;
  /** true while a run is in progress. */
  running(): boolean;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz: 200 `ready` once a run has finished without error; 503 `not-ready` before the
 * first run and after a run that ended in error (a guard or partial apply is not an error of the
 * reconciler: it did its job and said no). GET /metrics: Prometheus text.
 */
export async function startHealthServer(options: {
  readonly port: number;
  readonly host?: string;
  readonly state: HealthState;
  readonly metrics: ReconcilerMetrics;
}): Promise<HealthServer> {
  const { state, metrics } = options;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      const lastRun = state.lastRun();
      const ready = lastRun !== undefined && lastRun.outcome !== "error";
      const body = {
        status: ready ? "ready" : "not-ready",
        running: state.running(),
        outcome: lastRun?.outcome ?? null,
        lastRun: lastRun ?? null,
      };
      res
        .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
        .end(`${JSON.stringify(body)}\n`);
      return;
    }
    if (path === "/metrics") {
      metrics.render().then(
        (text) => res.writeHead(200, { "content-type": metrics.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /healthz or /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
