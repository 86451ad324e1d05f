// A stand-in Managed Service for Apache Flink API (kinesisanalyticsv2, JSON 1.1) on 127.0.0.1, in
// front of moto. moto 5.2.5 serves CreateApplication, DescribeApplication and ListApplications but
// not StartApplication or StopApplication, and reports every application as STARTING forever.
// This server forwards everything to moto and adds what it lacks, as the API reference describes
// it: a new application is READY; StartApplication takes a READY one through STARTING to RUNNING,
// StopApplication a RUNNING one through STOPPING to READY, each after `transitionMs`; either on an
// application in another status answers ResourceInUseException. Faults can be scripted per
// operation (the next N calls answer an error), and every Start/Stop request is recorded.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedError {
  readonly type: string;
  readonly message: string;
  readonly status?: number;
}

export interface FlinkStandIn {
  readonly endpoint: string;
  /** StartApplication and StopApplication requests as received, in order. */
  readonly requests: { readonly operation: string; readonly body: Record<string, unknown> }[];
  status(application: string): string | undefined;
  /** Sets an application's status now (e.g. STOPPING, as if a stop were under way). */
  setStatus(application: string, status: string, thenReadyAfterMs?: number): void;
  /** The next calls of `operation` answer these errors, one each, before it works again. */
  failNext(operation: string, ...errors: ScriptedError[]): void;
  stop(): Promise<void>;
}

const PREFIX = "KinesisAnalytics_20180523.";

export async function startFlinkStandIn(moto: string, transitionMs = 50): Promise<FlinkStandIn> {
  const statuses = new Map<string, string>();
  const requests: { operation: string; body: Record<string, unknown> }[] = [];
  const scripted = new Map<string, ScriptedError[]>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, e: ScriptedError) => {
    res.writeHead(e.status ?? 400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": e.type });
    res.end(JSON.stringify({ __type: e.type, message: e.message }));
  };

  const forward = async (req: IncomingMessage, raw: string): Promise<{ status: number; body: string }> => {
    const headers: Record<string, string> = {};
    for (const h of ["content-type", "x-amz-target", "authorization", "x-amz-date"])
      if (typeof req.headers[h] === "string") headers[h] = req.headers[h];
    const r = await fetch(moto, { method: "POST", headers, body: raw });
    return { status: r.status, body: await r.text() };
  };

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      void (async () => {
        const operation = String(req.headers["x-amz-target"] ?? "").replace(PREFIX, "");
        const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
        const fault = scripted.get(operation)?.shift();
        if (fault) return error(res, fault);
        const name = typeof body.ApplicationName === "string" ? body.ApplicationName : "";
        if (operation === "StartApplication" || operation === "StopApplication") {
          requests.push({ operation, body });
          const current = statuses.get(name);
          if (current === undefined) return error(res, { type: "ResourceNotFoundException", message: `Application ${name} not found` });
          const [from, via, to] = operation === "StartApplication" ? ["READY", "STARTING", "RUNNING"] : ["RUNNING", "STOPPING", "READY"];
          if (current !== from)
            return error(res, { type: "ResourceInUseException", message: `Application ${name} is ${current}; ${operation} needs ${from}` });
          statuses.set(name, via);
          later(transitionMs, () => statuses.get(name) === via && statuses.set(name, to));
          return reply(res, 200, { OperationId: `op-${requests.length}` });
        }
        const answer = await forward(req, raw);
        if (answer.status === 200 && operation === "CreateApplication") statuses.set(name, "READY");
        if (answer.status === 200 && (operation === "DescribeApplication" || operation === "CreateApplication")) {
          const parsed = JSON.parse(answer.body) as { ApplicationDetail: Record<string, unknown> };
          const detail = parsed.ApplicationDetail;
          if (statuses.has(name)) detail.ApplicationStatus = statuses.get(name);
          // moto writes these as ISO text; the API's JSON protocol sends epoch seconds, which the SDK insists on.
          for (const k of ["CreateTimestamp", "LastUpdateTimestamp", "ApplicationVersionCreateTimestamp"]) {
            if (typeof detail[k] === "string") detail[k] = Date.parse(`${detail[k]}Z`.replace(/ZZ$/, "Z")) / 1000;
          }
          return reply(res, 200, parsed);
        }
        res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1" });
        res.end(answer.body);
      })().catch((e: unknown) => error(res, { type: "InternalFailure", message: String(e), status: 500 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    status: (a) => statuses.get(a),
    setStatus(a, s, thenReadyAfterMs) {
      statuses.set(a, s);
      if (thenReadyAfterMs !== undefined) later(thenReadyAfterMs, () => statuses.get(a) === s && statuses.set(a, "READY"));
    },
    failNext: (op, ...errors) => scripted.set(op, [...(scripted.get(op) ?? []), ...errors]),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
