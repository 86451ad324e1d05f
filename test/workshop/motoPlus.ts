// moto's server plus the two things the instructor checks need and moto 5.2 does not do, as a
// small HTTP proxy on 127.0.0.1 in front of it:
//   - Managed Flink's StartApplication and StopApplication (moto's kinesisanalyticsv2 creates,
//     describes and lists applications, always "STARTING"): the proxy keeps each application's
//     status, answers Start/Stop as the API does (ResourceInUseException when the application is
//     not in a status the call accepts) and rewrites ApplicationStatus in DescribeApplication;
//   - e-mail subscriptions still waiting for confirmation (moto confirms every subscription at
//     once): the endpoints a test marks pending get SubscriptionArn "PendingConfirmation" in
//     ListSubscriptionsByTopic, as SNS answers before the address confirms.
//   - moto 5.2 answers DescribeApplication of an unknown application with an HTML error page; the
//     API answers ResourceNotFoundException, which the proxy returns instead;
//   - moto 5.2 writes Managed Flink's timestamps as ISO text without a zone (e.g. CreateTimestamp
//     "2026-11-30T10:00:00.123456"), where the API sends epoch seconds and the SDK refuses text:
//     the proxy turns them into epoch seconds (moto's clock is this machine's, read as UTC).
// Everything else goes to moto unchanged. API shapes: the Managed Flink API reference
// (StartApplication, StopApplication, DescribeApplication) and SNS's ListSubscriptionsByTopic.

import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { LocalAws } from "../../offline/moto";

const TARGET = "KinesisAnalytics_20180523.";

export class MotoPlus {
  /** ApplicationStatus per application name, once a test or a call has set it. */
  readonly flinkStatus = new Map<string, string>();
  /** E-mail endpoints whose subscriptions are still pending. */
  readonly pendingEmails = new Set<string>();
  /** Every Start/Stop call received, as "StopApplication <name>". */
  readonly calls: string[] = [];
  /**
   * Errors to answer instead of the call, by operation name (StopApplication, PutRecords,
   * ListSubscriptionsByTopic…), `times` calls in a row: throttling, a conflict, a server error.
   */
  readonly failNext = new Map<string, { status: number; type: string; message: string; times?: number }>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(moto: LocalAws): Promise<MotoPlus> {
    const upstream = new URL(moto.endpoint);
    const made: { self?: MotoPlus } = {};
    const server = createServer((req, res) => {
      void (async () => {
        const body = await read(req);
        const answer = await made.self!.handle(req, body, upstream);
        res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) });
        res.end(answer.body);
      })().catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    made.self = new MotoPlus(server, `http://127.0.0.1:${port}`);
    return made.self;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The scripted error for this call, if any is left: JSON for the JSON protocols, XML for the query protocol. */
  private scriptedFailure(op: string, jsonProtocol: boolean): Answer | undefined {
    const fail = this.failNext.get(op);
    if (!fail) return undefined;
    const left = (fail.times ?? 1) - 1;
    if (left > 0) this.failNext.set(op, { ...fail, times: left });
    else this.failNext.delete(op);
    if (jsonProtocol) return json(fail.status, { __type: fail.type, message: fail.message });
    const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${fail.type}</Code><Message>${fail.message}</Message></Error><RequestId>motoplus</RequestId></ErrorResponse>`;
    return { status: fail.status, headers: { "content-type": "text/xml" }, body: Buffer.from(xml) };
  }

  private async handle(req: IncomingMessage, body: Buffer, upstream: URL): Promise<Answer> {
    const target = String(req.headers["x-amz-target"] ?? "");
    const action = target ? target.slice(target.indexOf(".") + 1) : (new URLSearchParams(body.toString("utf8")).get("Action") ?? "");
    if (target.startsWith(TARGET) && (action === "StartApplication" || action === "StopApplication"))
      this.calls.push(`${action} ${(JSON.parse(body.toString("utf8") || "{}") as { ApplicationName?: string }).ApplicationName ?? ""}`);
    const scripted = this.scriptedFailure(action, target !== "");
    if (scripted) return scripted;
    if (target.startsWith(TARGET)) {
      const op = action;
      const input = JSON.parse(body.toString("utf8") || "{}") as { ApplicationName?: string };
      const name = input.ApplicationName ?? "";
      if (op === "StartApplication" || op === "StopApplication") {
        const status = this.flinkStatus.get(name);
        if (status === undefined) return json(400, { __type: "ResourceNotFoundException", message: `Application ${name} not found` });
        const allowed = op === "StopApplication" ? ["RUNNING", "STARTING", "UPDATING", "AUTOSCALING"] : ["READY"];
        if (!allowed.includes(status))
          return json(400, { __type: "ResourceInUseException", message: `Application ${name} is in ${status} status` });
        this.flinkStatus.set(name, op === "StopApplication" ? "READY" : "RUNNING");
        return json(200, {});
      }
      const answer = await forward(req, body, upstream);
      if (op === "DescribeApplication" && answer.status !== 200 && !String(answer.headers["content-type"]).includes("json"))
        return json(400, { __type: "ResourceNotFoundException", message: `Application ${name} not found` });
      if (answer.status !== 200) return answer;
      const parsed = epochTimestamps(JSON.parse(answer.body.toString("utf8"))) as { ApplicationDetail?: { ApplicationStatus: string } };
      const status = this.flinkStatus.get(name);
      if (op === "DescribeApplication" && status && parsed.ApplicationDetail) parsed.ApplicationDetail.ApplicationStatus = status;
      return { ...answer, body: Buffer.from(JSON.stringify(parsed)) };
    }
    const answer = await forward(req, body, upstream);
    if (new URLSearchParams(body.toString("utf8")).get("Action") === "ListSubscriptionsByTopic" && answer.status === 200) {
      const xml = answer.body.toString("utf8").replace(/<member>([\s\S]*?)<\/member>/g, (member, inner: string) => {
        const endpoint = /<Endpoint>([^<]*)<\/Endpoint>/.exec(inner)?.[1] ?? "";
        return this.pendingEmails.has(endpoint)
          ? member.replace(/<SubscriptionArn>[^<]*<\/SubscriptionArn>/, "<SubscriptionArn>PendingConfirmation</SubscriptionArn>")
          : member;
      });
      return { ...answer, body: Buffer.from(xml) };
    }
    return answer;
  }
}

/** Every "…Timestamp" field given as text, as epoch seconds (the wire format of AWS's JSON protocols). */
function epochTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(epochTimestamps);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith("Timestamp") && typeof v === "string"
        ? Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`) / 1000
        : epochTimestamps(v),
    ]),
  );
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { "content-type": "application/x-amz-json-1.1" },
  body: Buffer.from(JSON.stringify(value)),
});

function forward(req: IncomingMessage, body: Buffer, upstream: URL): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host, "content-length": String(body.length) };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
      void read(res).then((b) => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined && k !== "content-length" && k !== "transfer-encoding" && k !== "connection")
            h[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 502, headers: h, body: b });
      }, reject);
    });
    out.on("error", reject);
    out.end(body);
  });
}
