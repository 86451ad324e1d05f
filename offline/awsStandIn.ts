// moto's server plus what moto 5.2 lacks, as ONE small HTTP proxy on 127.0.0.1 in front of it. Every
// test that talks to AWS through the SDK points its clients at `endpoint`; what moto serves goes to
// moto unchanged, and the stand-in answers (or corrects) the rest as the services document it:
//
//   - Managed Service for Apache Flink (kinesisanalyticsv2, JSON 1.1). moto creates, describes and
//     lists applications (always "STARTING") and has no Start, Stop, Update or Delete. The stand-in
//     keeps each application's status and answers those as the API reference does: a new
//     application is READY; StartApplication takes READY through STARTING to RUNNING,
//     StopApplication RUNNING through STOPPING to READY (Force also from STARTING, UPDATING,
//     AUTOSCALING), UpdateApplication RUNNING through UPDATING back to RUNNING, each transition
//     taking `transitionMs`; DeleteApplication answers ResourceInUseException while the application
//     is STARTING, STOPPING or UPDATING (API_DeleteApplication.html, #22 item 4). A call on an
//     application in a status it does not accept answers ResourceInUseException; on an unknown one,
//     ResourceNotFoundException (moto answers an HTML page). moto's ISO timestamps become epoch
//     seconds, the JSON protocols' wire format, which the SDK insists on.
//   - SNS e-mail subscriptions still waiting for confirmation (moto confirms every one at once):
//     the endpoints in `pendingEmails` get SubscriptionArn "PendingConfirmation" in
//     ListSubscriptionsByTopic, as SNS answers before the address confirms.
//   - Scripted faults for ANY operation (`failNext`): throttling, conflicts, server errors, each in
//     the protocol of the call (JSON, query/XML or REST-JSON).
//   - More services: `on(service, operation, handler)` adds or replaces the answer to one operation,
//     with moto one `forward()` away. The account set-up preflight reads (SNS SMS sandbox and
//     origination numbers, Lambda GetAccountSettings) is offline/accountStandIn.ts, added through
//     `on` by the tests that need it: `AccountStandIn.install(standIn)`.
//
// Pages: Managed Flink API reference (CreateApplication, StartApplication, StopApplication,
// UpdateApplication, DeleteApplication, DescribeApplication), SNS API reference
// (ListSubscriptionsByTopic), and each SDK's protocol (awsJson1_1, awsQuery, restJson1) for errors.

import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An answer on the wire. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** An error a test scripts for the next calls of one operation. */
export interface ScriptedError {
  /** The error code as AWS names it (Throttling, ResourceInUseException, …). */
  readonly type: string;
  readonly message: string;
  /** HTTP status; 400 unless given. */
  readonly status?: number;
  /** How many calls in a row answer this error; 1 unless given. */
  readonly times?: number;
}

/** One request as the stand-in sees it. */
export interface StandInRequest {
  /** The SigV4 signing name from the Authorization header (kinesisanalytics, sns, lambda, sts, s3…); "" unsigned. */
  readonly service: string;
  /**
   * The operation: X-Amz-Target's operation for the JSON protocols, `Action` for the query
   * protocol, and "<METHOD> <path>" (no query string) for the REST protocols.
   */
  readonly operation: string;
  readonly protocol: "json" | "query" | "rest";
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  /** The JSON body, the query protocol's parameters, or {} (REST calls without a JSON body). */
  readonly input: Record<string, unknown>;
  readonly raw: Buffer;
}

/**
 * Answers one operation. `forward()` sends the request to moto unchanged and returns moto's answer
 * (to pass on, correct or ignore). Throwing answers InternalFailure (HTTP 500).
 */
export type Handler = (req: StandInRequest, forward: () => Promise<Answer>) => Answer | Promise<Answer>;

export interface StandInOptions {
  /** How long each Managed Flink transition (STARTING, STOPPING, UPDATING) lasts, in ms; 0 = at once. Default 50. */
  readonly transitionMs?: number;
}

/** Managed Flink statuses in which DeleteApplication answers ResourceInUseException (API_DeleteApplication). */
export const FLINK_BUSY = ["STARTING", "STOPPING", "UPDATING"] as const;

/** What StopApplication accepts (API_StopApplication): RUNNING, and with Force also these. */
const FORCE_STOPPABLE = ["STARTING", "UPDATING", "STOPPING", "AUTOSCALING", "RUNNING"];

/** Managed Flink's SigV4 signing name: the service of its handlers. */
const FLINK = "kinesisanalytics";
/** The ApplicationName a Managed Flink request names ("" when none). */
const applicationOf = (r: StandInRequest) => (typeof r.input.ApplicationName === "string" ? r.input.ApplicationName : "");
const applicationNotFound = (name: string) => awsError("json", "ResourceNotFoundException", `Application ${name} not found`, 400);
const applicationInUse = (name: string, status: string, op: string) =>
  awsError("json", "ResourceInUseException", `Application ${name} is in ${status} status; ${op} is not allowed now`, 400);

/** moto with the calls it lacks. Start one per test file with `AwsStandIn.start(motoEndpoint)`. */
export class AwsStandIn {
  /** Every request received, in order (the stand-in's own and those passed to moto). */
  readonly requests: StandInRequest[] = [];
  /** E-mail endpoints whose SNS subscriptions are still pending confirmation. */
  readonly pendingEmails = new Set<string>();
  private readonly flinkStatus = new Map<string, string>();
  private readonly deleted = new Set<string>();
  private readonly scripted = new Map<string, ScriptedError[]>();
  private readonly handlers = new Map<string, Handler>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly transitionMs: number;

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    readonly endpoint: string,
    options: StandInOptions,
  ) {
    this.transitionMs = options.transitionMs ?? 50;
    this.installFlink();
    this.installSns();
  }

  /**
   * Listens on a free port of 127.0.0.1 in front of moto's server at `moto` (its endpoint URL).
   */
  static async start(moto: string, options: StandInOptions = {}): Promise<AwsStandIn> {
    const made: { self?: AwsStandIn } = {};
    const server = createServer((req, res) => {
      void (async () => {
        const raw = await read(req);
        const answer = await made.self!.handle(req, raw);
        res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
        res.end(answer.body);
      })().catch((e: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ __type: "InternalFailure", message: String(e) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    made.self = new AwsStandIn(server, new URL(moto), `http://127.0.0.1:${port}`, options);
    return made.self;
  }

  stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * Answers `operation` of `service` (the SigV4 signing name: "sns", "lambda", "kinesisanalytics"…)
   * with `handler`, replacing what the stand-in or moto answered before.
   */
  on(service: string, operation: string, handler: Handler): void {
    this.handlers.set(`${service} ${operation}`, handler);
  }

  /** The next calls of `operation` (any service) answer these errors, in order, before it works again. */
  failNext(operation: string, ...errors: ScriptedError[]): void {
    const queue = this.scripted.get(operation) ?? [];
    for (const e of errors) for (let i = 0; i < (e.times ?? 1); i++) queue.push(e);
    this.scripted.set(operation, queue);
  }

  /** How many scripted errors of `operation` are still to be answered. */
  failuresLeft(operation: string): number {
    return this.scripted.get(operation)?.length ?? 0;
  }

  /** Drops the scripted errors of `operation` not yet answered. */
  clearFailures(operation: string): void {
    this.scripted.delete(operation);
  }

  /** The requests of one operation, in order. */
  calls(operation: string): StandInRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** A Managed Flink application's status as DescribeApplication would answer it; undefined if unknown or deleted. */
  flinkStatusOf(application: string): string | undefined {
    return this.deleted.has(application) ? undefined : this.flinkStatus.get(application);
  }

  /**
   * Sets an application's status now (e.g. STOPPING, as if a stop were under way, or UPDATING);
   * with `then`, it becomes `then.status` after `then.afterMs` unless something changed it before.
   */
  setFlinkStatus(application: string, status: string, then?: { status: string; afterMs: number }): void {
    this.deleted.delete(application);
    this.flinkStatus.set(application, status);
    if (then)
      this.later(then.afterMs, () => this.flinkStatus.get(application) === status && this.flinkStatus.set(application, then.status));
  }

  private later(ms: number, f: () => void): void {
    if (ms <= 0) return f();
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    this.timers.add(t);
  }

  /** Moves `application` to `via` now and to `to` after the transition (at once when transitionMs is 0). */
  private transition(application: string, via: string, to: string): void {
    this.setFlinkStatus(application, via, { status: to, afterMs: this.transitionMs });
  }

  private async handle(req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const parsed = parse(req, raw);
    this.requests.push(parsed);
    const forward = () => this.forward(req, raw);
    const queue = this.scripted.get(parsed.operation);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.scripted.delete(parsed.operation);
    if (fault) return awsError(parsed.protocol, fault.type, fault.message, fault.status ?? 400);
    const handler = this.handlers.get(`${parsed.service} ${parsed.operation}`);
    return handler ? handler(parsed, forward) : forward();
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Answer> {
    const upstream = this.upstream;
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

  // Managed Flink: moto keeps the applications' configuration; the stand-in keeps their status.
  /** Managed Flink on moto: the application's status, which moto does not model, kept here through every call. */
  private installFlink(): void {
    this.installFlinkReads();
    this.installFlinkLifecycle();
  }

  /** CreateApplication, DescribeApplication and ListApplications: moto's answers with the stand-in's status (and deletions). */
  private installFlinkReads(): void {
    this.on(FLINK, "CreateApplication", async (r, forward) => {
      const answer = await forward();
      if (answer.status !== 200) return answer;
      this.setFlinkStatus(applicationOf(r), "READY");
      return this.withFlinkStatus(answer, applicationOf(r));
    });
    this.on(FLINK, "DescribeApplication", async (r, forward) => {
      if (this.flinkStatusOf(applicationOf(r)) === undefined) return applicationNotFound(applicationOf(r));
      const answer = await forward();
      return answer.status === 200 ? this.withFlinkStatus(answer, applicationOf(r)) : answer;
    });
    this.on(FLINK, "ListApplications", async (_r, forward) => {
      const answer = await forward();
      if (answer.status !== 200) return answer;
      const list = epochTimestamps(JSON.parse(answer.body.toString("utf8"))) as {
        ApplicationSummaries: { ApplicationName: string; ApplicationStatus: string }[];
      };
      list.ApplicationSummaries = list.ApplicationSummaries.filter((s) => this.flinkStatusOf(s.ApplicationName) !== undefined).map((s) => ({
        ...s,
        ApplicationStatus: this.flinkStatusOf(s.ApplicationName)!,
      }));
      return json(200, list);
    });
  }

  /** StartApplication, StopApplication, UpdateApplication and DeleteApplication: allowed from the statuses AWS allows them in, then the status they take it through. */
  private installFlinkLifecycle(): void {
    let operations = 0;
    const operationId = () => ({ OperationId: `standin-op-${++operations}` });
    this.on(FLINK, "StartApplication", (r) => {
      const name = applicationOf(r);
      const status = this.flinkStatusOf(name);
      if (status === undefined) return applicationNotFound(name);
      if (status !== "READY") return applicationInUse(name, status, "StartApplication (needs READY)");
      this.transition(name, "STARTING", "RUNNING");
      return json(200, operationId());
    });
    this.on(FLINK, "StopApplication", (r) => {
      const name = applicationOf(r);
      const status = this.flinkStatusOf(name);
      if (status === undefined) return applicationNotFound(name);
      const allowed = r.input.Force === true ? FORCE_STOPPABLE : ["RUNNING"];
      if (!allowed.includes(status)) return applicationInUse(name, status, `StopApplication${r.input.Force === true ? " with Force" : ""}`);
      this.transition(name, r.input.Force === true ? "FORCE_STOPPING" : "STOPPING", "READY");
      return json(200, operationId());
    });
    // The configuration itself stays moto's (moto has no UpdateApplication): the stand-in models
    // the status the update takes the application through, which is what callers wait on.
    this.on(FLINK, "UpdateApplication", (r) => {
      const name = applicationOf(r);
      const status = this.flinkStatusOf(name);
      if (status === undefined) return applicationNotFound(name);
      if (status !== "READY" && status !== "RUNNING") return applicationInUse(name, status, "UpdateApplication (needs READY or RUNNING)");
      if (status === "RUNNING") this.transition(name, "UPDATING", "RUNNING");
      return json(200, { ...operationId(), ApplicationDetail: { ApplicationName: name, ApplicationStatus: this.flinkStatusOf(name) } });
    });
    this.on(FLINK, "DeleteApplication", (r) => {
      const name = applicationOf(r);
      const status = this.flinkStatusOf(name);
      if (status === undefined) return applicationNotFound(name);
      if ((FLINK_BUSY as readonly string[]).includes(status)) return applicationInUse(name, status, "DeleteApplication");
      this.deleted.add(name);
      return json(200, {});
    });
  }

  /** moto's application detail (which lacks ApplicationName) with its name, the stand-in's status and epoch-second timestamps. */
  private withFlinkStatus(answer: Answer, name: string): Answer {
    const parsed = epochTimestamps(JSON.parse(answer.body.toString("utf8"))) as {
      ApplicationDetail?: { ApplicationName?: string; ApplicationStatus: string };
    };
    const d = parsed.ApplicationDetail;
    if (d) {
      d.ApplicationName ??= name;
      d.ApplicationStatus = this.flinkStatusOf(name) ?? d.ApplicationStatus;
    }
    return json(200, parsed);
  }

  private installSns(): void {
    this.on("sns", "ListSubscriptionsByTopic", async (_r, forward) => {
      const answer = await forward();
      if (answer.status !== 200) return answer;
      const xml = answer.body.toString("utf8").replace(/<member>([\s\S]*?)<\/member>/g, (member, inner: string) => {
        const endpoint = /<Endpoint>([^<]*)<\/Endpoint>/.exec(inner)?.[1] ?? "";
        return this.pendingEmails.has(endpoint)
          ? member.replace(/<SubscriptionArn>[^<]*<\/SubscriptionArn>/, "<SubscriptionArn>PendingConfirmation</SubscriptionArn>")
          : member;
      });
      return { ...answer, body: Buffer.from(xml) };
    });
  }
}

/** A JSON-protocol answer. */
export function json(status: number, value: unknown): Answer {
  return { status, headers: { "content-type": "application/x-amz-json-1.1" }, body: Buffer.from(JSON.stringify(value)) };
}

/** A query-protocol (SNS, STS, IAM) answer: `<Action>Response><Action>Result>…` around `resultXml`. */
export function queryResult(action: string, resultXml: string): Answer {
  const xml = `<${action}Response><${action}Result>${resultXml}</${action}Result><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { "content-type": "text/xml" }, body: Buffer.from(xml) };
}

/** An AWS error as `protocol` carries it, which each SDK turns into an exception named `type`. */
export function awsError(protocol: StandInRequest["protocol"], type: string, message: string, status = 400): Answer {
  if (protocol === "query") {
    const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(type)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>standin</RequestId></ErrorResponse>`;
    return { status, headers: { "content-type": "text/xml" }, body: Buffer.from(xml) };
  }
  return {
    status,
    headers: { "content-type": protocol === "json" ? "application/x-amz-json-1.1" : "application/json", "x-amzn-errortype": type },
    body: Buffer.from(JSON.stringify(protocol === "json" ? { __type: type, message } : { message, Type: "User" })),
  };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function parse(req: IncomingMessage, raw: Buffer): StandInRequest {
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const service = /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]*)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
  const target = String(req.headers["x-amz-target"] ?? "");
  const text = raw.toString("utf8");
  if (target) {
    let input: Record<string, unknown> = {};
    try {
      input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // CBOR or malformed: the operation is still known; moto decides.
    }
    return { service, operation: target.slice(target.indexOf(".") + 1), protocol: "json", method, url, input, raw };
  }
  const contentType = String(req.headers["content-type"] ?? "");
  if (method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")) {
    const params = new URLSearchParams(text);
    if (params.has("Action"))
      return { service, operation: params.get("Action")!, protocol: "query", method, url, input: Object.fromEntries(params), raw };
  }
  let input: Record<string, unknown> = {};
  if (contentType.includes("json") && text) {
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not ours to judge
    }
  }
  return { service, operation: `${method} ${url.split("?")[0]}`, protocol: "rest", method, url, input, raw };
}

/** Every "…Timestamp" field given as text, as epoch seconds (moto writes ISO text without a zone, read as UTC). */
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

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
