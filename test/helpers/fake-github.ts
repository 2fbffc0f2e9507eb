import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received, so tests can assert what the Action asked GitHub to do. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: { name: string }[];
  pull_request?: { url: string };
}

export interface FakeGitHub {
  /** e.g. http://127.0.0.1:PORT: what GITHUB_API_URL is set to. */
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly comments: FakeComment[];
  readonly issues: FakeIssue[];
  /** Adds unrelated comments so that finding the marker needs more than one page. */
  seedComments(issueNumber: number, count: number): void;
  /** Writes (POST/PATCH) only, in order, as "METHOD /path". */
  writes(): string[];
  close(): Promise<void>;
}

const PER_PAGE_DEFAULT = 30;

/**
 * A small stand-in for the GitHub REST API on loopback: issue comments and issues, with GitHub's
 * pagination (per_page, page, Link rel="next"). It answers only what the Action uses.
 */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const calls: RecordedCall[] = [];
  const comments: FakeComment[] = [];
  const issues: FakeIssue[] = [];
  let nextId = 1000;
  let origin = "";

  function paginate(res: ServerResponse, url: URL, items: readonly unknown[]): void {
    const perPage = Number(url.searchParams.get("per_page") ?? PER_PAGE_DEFAULT);
    const page = Number(url.searchParams.get("page") ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (page * perPage < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set("page", String(page + 1));
      next.searchParams.set("per_page", String(perPage));
      headers["link"] = `<${origin}${next.pathname}${next.search}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify(slice));
  }

  function json(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    const body: unknown = raw === "" ? undefined : JSON.parse(raw);
    calls.push({ method, path: url.pathname, body, authorization: req.headers.authorization });
    const input = (body ?? {}) as Record<string, unknown>;
    let match: RegExpMatchArray | null;

    if ((match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const issueNumber = Number(match[1]);
      if (method === "GET") {
        paginate(
          res,
          url,
          comments.filter((c) => c.issueNumber === issueNumber),
        );
        return;
      }
      if (method === "POST") {
        const comment: FakeComment = {
          id: nextId++,
          issueNumber,
          body: typeof input["body"] === "string" ? input["body"] : "",
          user: { login: "github-actions[bot]" },
        };
        comments.push(comment);
        json(res, 201, comment);
        return;
      }
    }
    if (
      (match = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)) &&
      method === "PATCH"
    ) {
      const comment = comments.find((c) => c.id === Number(match?.[1]));
      if (comment === undefined) {
        json(res, 404, { message: "Not Found" });
        return;
      }
      comment.body = typeof input["body"] === "string" ? input["body"] : "";
      json(res, 200, comment);
      return;
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) {
      if (method === "GET") {
        const state = url.searchParams.get("state") ?? "open";
        const labels = (url.searchParams.get("labels") ?? "").split(",").filter((l) => l !== "");
        paginate(
          res,
          url,
          issues.filter(
            (i) =>
              (state === "all" || i.state === state) &&
              labels.every((label) => i.labels.some((l) => l.name === label)),
          ),
        );
        return;
      }
      if (method === "POST") {
        const labels = Array.isArray(input["labels"]) ? (input["labels"] as string[]) : [];
        const issue: FakeIssue = {
          number: issues.length + comments.length + 1,
          title: String(input["title"]),
          body: typeof input["body"] === "string" ? input["body"] : "",
          state: "open",
          labels: labels.map((name) => ({ name })),
        };
        issues.push(issue);
        json(res, 201, issue);
        return;
      }
    }
    if ((match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname)) && method === "PATCH") {
      const issue = issues.find((i) => i.number === Number(match?.[1]));
      if (issue === undefined) {
        json(res, 404, { message: "Not Found" });
        return;
      }
      if (typeof input["body"] === "string") issue.body = input["body"];
      if (typeof input["title"] === "string") issue.title = input["title"];
      if (input["state"] === "open" || input["state"] === "closed") issue.state = input["state"];
      json(res, 200, issue);
      return;
    }
    json(res, 404, { message: `fake GitHub: no route for ${method} ${url.pathname}` });
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      try {
        handle(req, res, raw);
      } catch (error) {
        json(res, 500, { message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    calls,
    comments,
    issues,
    seedComments(issueNumber, count) {
      for (let i = 0; i < count; i++) {
        comments.push({
          id: nextId++,
          issueNumber,
          body: `unrelated comment ${i}`,
          user: { login: "someone" },
        });
      }
    },
    writes() {
      return calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}
