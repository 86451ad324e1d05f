// The local lab's picture (npm start), the same one the team's CloudWatch dashboard gives on AWS
// (components/dashboard.ts): a page on 127.0.0.1 with the click-through rate and the anomaly score
// of every window as the job scores it, the threshold as a line, and the alerts marked. It is what
// the 2020 attendees watched in the KDA console while the KDG sent traffic.
//
// node:http and no framework: GET / is the page (local/page/index.html, inline SVG drawn by its own
// script), GET /events a Server-Sent Events stream (history first, then live), GET /state the
// same as JSON. The lab reports through LabEvents; nothing here knows Flink or Kinesis.

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
 * Starts the page's server on 127.0.0.1 (never on another interface: it is one person's lab).
 * Rejects when the port is taken. Each Server-Sent Events client gets the history, then every
 * event as it comes; a client that reconnects gets the history again and redraws.
 */
export async function startLiveView(o: LiveViewOptions): Promise<LiveView> {
  if (!(o.threshold > 0)) throw new RangeError(`threshold must be above 0, not ${o.threshold}`);
  const config = { threshold: o.threshold, windowSeconds: o.windowSeconds, compression: o.compression };
  const windows: LiveWindow[] = [];
  const alerts: LiveAlert[] = [];
  let ended: string | undefined;
  const clients = new Set<ServerResponse>();
  const page = readFileSync(PAGE, "utf8");

  const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  const broadcast = (event: string, data: unknown) => {
    for (const c of clients) c.write(frame(event, data));
  };
  const state = (): LiveState => ({ config, windows: [...windows], alerts: [...alerts], ...(ended !== undefined ? { ended } : {}) });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (req.method !== "GET") return void res.writeHead(405, { allow: "GET" }).end();
    if (path === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page);
    if (path === "/state") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state()));
    if (path === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(frame("config", config));
      for (const w of windows) res.write(frame("window", w));
      for (const a of alerts) res.write(frame("alert", a));
      if (ended !== undefined) res.write(frame("ended", ended));
      clients.add(res);
      req.on("close", () => clients.delete(res));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: the page is at /\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/`,
    events: {
      window: (w) => {
        windows.push(w);
        broadcast("window", w);
      },
      alert: (a) => {
        alerts.push(a);
        broadcast("alert", a);
      },
      ended: (summary) => {
        ended = summary;
        broadcast("ended", summary);
      },
    },
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
