// The local lab's picture (npm start), the same one the team's CloudWatch dashboard gives on AWS
// (components/dashboard.ts): a page on 127.0.0.1 with the click-through rate and the anomaly score
// of every window as the job scores it, the threshold as a line, and the alerts marked. It is what
// the 2020 attendees watched in the KDA console while the KDG sent traffic.
//
// node:http and no framework: GET / is the page (local/page/index.html, inline SVG drawn by its own
// script), GET /events a Server-Sent Events stream (history first, then live), GET /state the
// same as JSON. The lab reports through LabEvents; nothing here knows Flink or Kinesis.
//
// It serves its own origin only (issue 26, kind 5). A page on any web site can make the browser
// ask 127.0.0.1, and through DNS rebinding (a name of the attacker's that first points at their
// server, then at 127.0.0.1) even read the answer as same-origin; the one thing such a request
// cannot fake is its Host header, which names the attacker's domain. So a request whose Host is
// not exactly 127.0.0.1:<port>, or whose Origin (sent by browsers on cross-origin requests and
// EventSource) is not http://127.0.0.1:<port>, is refused with 403 before anything is read.
// And a client that never reads cannot make the server hold more than its history plus
// MAX_CLIENT_BACKLOG_BYTES: past that it is disconnected (a browser's EventSource reconnects by
// itself and gets the history again), and at most MAX_CLIENTS event streams are open at once.

import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";

/** One scored window, as the lab prints it. Times are ISO 8601 UTC; labSeconds is lab time (compression undone). */
export interface LiveWindow {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly labSeconds: number;
  readonly clicks: number;
  readonly impressions: number;
  readonly ctrPercent: number;
  readonly anomalyScore: number;
  /** The window ended before the burst started (an alert then is a false alarm). */
  readonly beforeBurst: boolean;
  /** The job's verdict (the SQL's IS_ANOMALY, sent with every scored window): an alert goes out for it. */
  readonly anomaly: boolean;
}

/** One alert, as it would be e-mailed. */
export interface LiveAlert {
  readonly windowStart: string;
  readonly ctrPercent: number;
  readonly anomalyScore: number;
  readonly falseAlarm: boolean;
}

/** What the lab tells the page: each window when scored, each alert when sent, and its end. */
export interface LabEvents {
  window(w: LiveWindow): void;
  alert(a: LiveAlert): void;
  ended(summary: string): void;
}

export interface LiveViewOptions {
  /** Alert above this score (the lab: 2). */
  readonly threshold: number;
  /** Real seconds per window (the lab's 10 divided by the compression). */
  readonly windowSeconds: number;
  readonly compression: number;
  /** 0 (the default) takes a free port. */
  readonly port?: number;
}

export interface LiveView {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly events: LabEvents;
  /** Everything sent so far (what GET /state answers). */
  state(): LiveState;
  close(): Promise<void>;
}

export interface LiveState {
  readonly config: { threshold: number; windowSeconds: number; compression: number };
  readonly windows: readonly LiveWindow[];
  readonly alerts: readonly LiveAlert[];
  readonly ended?: string;
}

const PAGE = join(__dirname, "page", "index.html");

/**
 * Bytes of live events one event-stream client may leave unread (buffered in this process) beyond
 * the history it was sent on connecting; past it the client is disconnected. 1 MiB is about 4,000
 * windows: a page that reads keeps close to 0.
 */
export const MAX_CLIENT_BACKLOG_BYTES = 1 << 20;
/** Event streams open at once; one more is answered 503. A person's lab has a tab or two. */
export const MAX_CLIENTS = 16;

/** One Server-Sent Events frame. */
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Everything sent so far, as the frames a new client gets first. */
function historyOf(s: LiveState): string {
  return [
    frame("config", s.config),
    ...s.windows.map((w) => frame("window", w)),
    ...s.alerts.map((a) => frame("alert", a)),
    ...(s.ended !== undefined ? [frame("ended", s.ended)] : []),
  ].join("");
}

/**
 * The open event streams, each bounded: a client may leave unread the history it was sent plus
 * MAX_CLIENT_BACKLOG_BYTES, then it is disconnected; at most MAX_CLIENTS at once.
 */
function eventStreams() {
  const clients = new Map<ServerResponse, number>();
  return {
    /** Answers GET /events: 503 when full, else the history, then every event. */
    open(req: IncomingMessage, res: ServerResponse, history: string): void {
      if (clients.size >= MAX_CLIENTS)
        return void res.writeHead(503, { "content-type": "text/plain" }).end(`${MAX_CLIENTS} event streams are open already\n`);
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(history);
      clients.set(res, Buffer.byteLength(history) + MAX_CLIENT_BACKLOG_BYTES);
      req.on("close", () => clients.delete(res));
    },
    send(event: string, data: unknown): void {
      const f = frame(event, data);
      for (const [c, allowance] of clients) {
        c.write(f);
        // writableLength: what this process still buffers for the client, its socket being full.
        if (c.writableLength <= allowance) continue;
        clients.delete(c);
        c.destroy();
      }
    },
    endAll: () => [...clients.keys()].forEach((c) => c.end()),
  };
}

/**
 * Starts the page's server on 127.0.0.1 (never on another interface: it is one person's lab).
 * Rejects when the port is taken. Each Server-Sent Events client gets the history, then every
 * event as it comes; a client that reconnects gets the history again and redraws. Requests for
 * another Host or from another Origin are refused (`foreign`).
 */
export async function startLiveView(o: LiveViewOptions): Promise<LiveView> {
  if (!(o.threshold > 0)) throw new RangeError(`threshold must be above 0, not ${o.threshold}`);
  const config = { threshold: o.threshold, windowSeconds: o.windowSeconds, compression: o.compression };
  const windows: LiveWindow[] = [];
  const alerts: LiveAlert[] = [];
  let ended: string | undefined;
  const streams = eventStreams();
  const page = readFileSync(PAGE, "utf8");
  const state = (): LiveState => ({ config, windows: [...windows], alerts: [...alerts], ...(ended !== undefined ? { ended } : {}) });

  let origin = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const refusal = foreign(req, origin);
    if (refusal) return void res.writeHead(403, { "content-type": "text/plain" }).end(`${refusal}\n`);
    const path = new URL(req.url ?? "/", origin).pathname;
    if (req.method !== "GET") return void res.writeHead(405, { allow: "GET" }).end();
    if (path === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page);
    if (path === "/state") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state()));
    if (path === "/events") return streams.open(req, res, historyOf(state()));
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: the page is at /\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url: `${origin}/`,
    events: {
      window: (w) => (windows.push(w), streams.send("window", w)),
      alert: (a) => (alerts.push(a), streams.send("alert", a)),
      ended: (summary) => ((ended = summary), streams.send("ended", summary)),
    },
    state,
    close: () =>
      new Promise<void>((resolve) => {
        streams.endAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Why a request is not for this page (its Host is not the address it listens on, or a browser
 * says it comes from another origin), or undefined when it is. Host is compared whole and
 * case-insensitively: `127.0.0.1:<port>`; `localhost`, another port or no Host are refused.
 */
export function foreign(req: Pick<IncomingMessage, "headers">, origin: string): string | undefined {
  const self = origin.replace(/^http:\/\//, "");
  const host = req.headers.host;
  if (host?.toLowerCase() !== self)
    return `refused: this page answers to Host ${self} only, not ${host === undefined ? "a request without Host" : JSON.stringify(host)} (open ${origin}/)`;
  const from = req.headers.origin;
  if (from !== undefined && from.toLowerCase() !== origin)
    return `refused: a request from ${JSON.stringify(from)}; this page serves ${origin} only`;
  return undefined;
}
