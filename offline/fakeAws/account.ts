// A mock AWS account for `pulumi.runtime.setMocks`: it answers registrations the way AWS would,
// with the IDs and ARNs AWS would give, after running the rules AWS would run (rules.ts). One
// MockAccount can host many stacks, so physical-name collisions between teams are caught too.
// Used by the tests, by `npm run plan` and by the policy tests: one fake, one truth.

import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RULES, type CloudView } from "./rules";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface RecordedResource {
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  readonly id: string;
  /** Inputs as the provider would receive them. */
  readonly inputs: Record<string, unknown>;
  /** Inputs plus what AWS fills in (arn, endpoint, ...). */
  readonly state: Record<string, unknown>;
  /** Top-level inputs that were secrets (shown as [secret] by the plan). */
  readonly secretInputs: readonly string[];
  /** Region the resource lands in: its own `region` input, else its provider's. */
  readonly region?: string;
  /** ID of the provider resource it was registered with, if any. */
  readonly providerId?: string;
  readonly stack: string;
}

export class AwsRuleViolation extends Error {
  constructor(
    readonly type: string,
    readonly logicalName: string,
    readonly problems: string[],
  ) {
    super(`AWS would reject ${type} "${logicalName}":\n  - ${problems.join("\n  - ")}`);
    this.name = "AwsRuleViolation";
  }
}

function hash(text: string, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  const bytes = createHash("sha256").update(text).digest();
  let out = "";
  for (let i = 0; out.length < length; i++) out += alphabet[(bytes[i % bytes.length] ?? 0) % alphabet.length];
  return out;
}

function uuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// How the Pulumi runtime marks a secret on the wire (sdk/nodejs/runtime/rpc.ts, specialSigKey).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The plain value behind secret markers: AWS sees the plain value; we remember which keys were secret. */
function reveal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return reveal(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

function isSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** What AWS hands back for a new resource: its id and the attributes our program reads. */
function fabricate(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
  account: string,
  seed: string,
): { id: string; extra: Record<string, unknown> } {
  const n = (key: string) => String(inputs[key] ?? `${name}-${hash(seed, 7)}`);
  switch (type) {
    case "aws:kinesis/stream:Stream": {
      const arn = `arn:aws:kinesis:${region}:${account}:stream/${n("name")}`;
      return { id: arn, extra: { arn, name: n("name") } };
    }
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
      const arn = `arn:aws:firehose:${region}:${account}:deliverystream/${n("name")}`;
      return { id: arn, extra: { arn, name: n("name") } };
    }
    case "aws:s3/bucket:Bucket":
      return { id: n("bucket"), extra: { bucket: n("bucket"), arn: `arn:aws:s3:::${n("bucket")}`, region } };
    case "aws:iam/role:Role":
      return { id: n("name"), extra: { name: n("name"), arn: `arn:aws:iam::${account}:role/${n("name")}`, uniqueId: `AROA${hash(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}` } };
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${String(inputs.role)}:${n("name")}`, extra: { name: n("name") } };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: n("name"), extra: { name: n("name"), arn: `arn:aws:logs:${region}:${account}:log-group:${n("name")}` } };
    case "aws:cloudwatch/logStream:LogStream":
      return { id: n("name"), extra: { name: n("name"), arn: `arn:aws:logs:${region}:${account}:log-group:${String(inputs.logGroupName)}:log-stream:${n("name")}` } };
    case "aws:cognito/userPool:UserPool": {
      const id = `${region}_${hash(seed, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
      return { id, extra: { arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`, endpoint: `cognito-idp.${region}.amazonaws.com/${id}` } };
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { id: hash(seed, 26), extra: {} };
    case "aws:cognito/user:User":
      return { id: `${String(inputs.userPoolId)}/${String(inputs.username)}`, extra: { sub: uuid(seed) } };
    case "aws:cognito/identityPool:IdentityPool": {
      const id = `${region}:${uuid(seed)}`;
      return { id, extra: { arn: `arn:aws:cognito-identity:${region}:${account}:identitypool/${id}` } };
    }
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${region}:${account}:${n("name")}`;
      return { id: arn, extra: { arn, name: n("name") } };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `${String(inputs.topic)}:${uuid(seed)}`;
      return { id: arn, extra: { arn, pendingConfirmation: inputs.protocol === "email" } };
    }
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      return { id: String(inputs.key), extra: { key: inputs.key, arn: `arn:aws:s3:::${String(inputs.bucket)}/${String(inputs.key)}`, versionId: hash(seed, 32), etag: hash(seed + "etag", 32, "0123456789abcdef") } };
    case "aws:kinesisanalyticsv2/application:Application": {
      const arn = `arn:aws:kinesisanalytics:${region}:${account}:application/${n("name")}`;
      return { id: arn, extra: { arn, name: n("name"), status: inputs.startApplication ? "RUNNING" : "READY", versionId: 1 } };
    }
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${account}:function:${n("name")}`;
      return { id: n("name"), extra: { arn, name: n("name"), invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations` } };
    }
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return { id: uuid(seed), extra: { uuid: uuid(seed), state: "Enabled" } };
    case "aws:sqs/queue:Queue":
      return { id: `https://sqs.${region}.amazonaws.com/${account}/${n("name")}`, extra: { arn: `arn:aws:sqs:${region}:${account}:${n("name")}`, url: `https://sqs.${region}.amazonaws.com/${account}/${n("name")}`, name: n("name") } };
    case "aws:scheduler/schedule:Schedule":
      return { id: `default/${n("name")}`, extra: { arn: `arn:aws:scheduler:${region}:${account}:schedule/default/${n("name")}`, name: n("name"), groupName: "default" } };
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 16);
      // Deterministic, and satisfying the usual minimums: two of each class, then lower case.
      const body = `AB${hash(seed, 2, "0123456789")}cd${hash(seed + "x", Math.max(0, length - 6), "abcdefghijkmnopqrstuvwxyz")}`;
      return { id: "none", extra: { result: body.slice(0, length) } };
    }
    default:
      // Bucket sub-resources and attachments: AWS identifies them by their parent.
      return { id: String(inputs.bucket ?? inputs.identityPoolId ?? `${name}-${hash(seed, 8)}`), extra: {} };
  }
}

/** Keys that identify a physical resource of each type: two resources may not share one. */
function uniqueKey(type: string, state: Record<string, unknown>, region: string, account: string): string | undefined {
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return `s3:${String(state.bucket)}`; // one namespace for all accounts
    case "aws:iam/role:Role":
      return `iam:${account}:role:${String(state.name)}`;
    case "aws:kinesis/stream:Stream":
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
    case "aws:cloudwatch/logGroup:LogGroup":
    case "aws:sns/topic:Topic":
    case "aws:kinesisanalyticsv2/application:Application":
    case "aws:lambda/function:Function":
    case "aws:sqs/queue:Queue":
    case "aws:scheduler/schedule:Schedule":
      return `${type}:${account}:${region}:${String(state.name)}`;
    default:
      return undefined;
  }
}

/** One AWS account (plus the global S3 namespace), shared by every stack registered into it. */
export class MockAccount implements CloudView {
  readonly resources: RecordedResource[] = [];
  /** Every registration refused, by stack; `run` turns them into a failure. */
  readonly violations: { stack: string; error: AwsRuleViolation }[] = [];
  private readonly providers = new Map<string, string>();
  private readonly taken = new Map<string, string>();

  constructor(readonly accountId: string = MOCK_ACCOUNT_ID) {}

  find(type: string, key: string): Record<string, unknown> | undefined {
    const r = this.resources.find(
      (x) => x.type === type && (x.id === key || x.state.arn === key || x.state.name === key || x.state.bucket === key),
    );
    return r?.state;
  }

  /** Resources of one stack (a stack is one team's program run). */
  ofStack(stack: string): RecordedResource[] {
    return this.resources.filter((r) => r.stack === stack);
  }

  /**
   * Installs mocks for one program run as `stack`. Call before importing or running the program;
   * `await settle()` afterwards to let every registration finish.
   */
  async install(stack: string, project = "clickstream-lab"): Promise<void> {
    await pulumi.runtime.setMocks(this.mocksFor(stack), project, stack, false);
  }

  mocksFor(stack: string): pulumi.runtime.Mocks {
    return {
      newResource: (args) => this.register(stack, args),
      call: (args) => this.invoke(args),
    };
  }

  /**
   * Runs a program as one stack of this account and waits for all its registrations. Throws if
   * any registration was refused, naming every refusal (a plan wants all of them at once).
   */
  async run<T>(stack: string, program: () => T, project?: string): Promise<T> {
    await this.install(stack, project);
    const result = program();
    await settle();
    const refused = this.violations.filter((v) => v.stack === stack).map((v) => v.error);
    if (refused.length === 1) throw refused[0]!;
    if (refused.length > 1) throw new AggregateError(refused, refused.map((e) => e.message).join("\n"));
    return result;
  }

  // A refusal is recorded, not thrown: a throw here becomes an unhandled rejection inside the
  // Pulumi runtime. `run` reports the refusals once the program has finished registering.
  private register(stack: string, args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    if (args.custom === false) return { id: `${args.name}-component`, state: args.inputs as Record<string, unknown> };
    try {
      return this.create(stack, args);
    } catch (e) {
      if (!(e instanceof AwsRuleViolation)) throw e;
      this.violations.push({ stack, error: e });
      return { id: `refused-${args.name}`, state: args.inputs as Record<string, unknown> };
    }
  }

  private create(stack: string, args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const wire = (args.inputs ?? {}) as Record<string, unknown>;
    const inputs = reveal(wire) as Record<string, unknown>;
    const secretInputs = Object.keys(wire).filter((k) => isSecret(wire[k]));
    const isProvider = args.type.startsWith("pulumi:providers:");
    const providerId = args.provider?.split("::").pop();
    const region = (inputs.region as string | undefined) ?? (providerId ? this.providers.get(providerId) : undefined);

    const rule = RULES[args.type];
    if (!rule) {
      throw new AwsRuleViolation(args.type, args.name, [
        "this type has no AWS rules in offline/fakeAws/rules/ yet: add them before creating it",
      ]);
    }
    const problems = rule(inputs, { region: region ?? "", cloud: this });
    if (problems.length > 0) throw new AwsRuleViolation(args.type, args.name, problems);

    const seed = `${stack}/${args.type}/${args.name}`;
    if (isProvider) {
      const id = `${args.name}-${hash(seed, 8)}`;
      if (typeof inputs.region === "string") this.providers.set(id, inputs.region);
      this.resources.push({ type: args.type, name: args.name, id, inputs, secretInputs, state: inputs, region, stack });
      return { id, state: inputs };
    }

    const { id, extra } = fabricate(args.type, args.name, inputs, region ?? "us-east-1", this.accountId, seed);
    const state = { ...inputs, ...extra };
    const key = uniqueKey(args.type, state, region ?? "", this.accountId);
    if (key) {
      const owner = this.taken.get(key);
      if (owner) {
        throw new AwsRuleViolation(args.type, args.name, [`the physical name is already taken by ${owner} (AlreadyExists)`]);
      }
      this.taken.set(key, `${stack}/${args.name}`);
    }
    this.resources.push({ type: args.type, name: args.name, id, inputs, secretInputs, state, region, providerId, stack });
    return { id, state };
  }

  private invoke(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const providerId = args.provider?.split("::").pop();
    const region = (providerId && this.providers.get(providerId)) || "us-east-1";
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: this.accountId, arn: `arn:aws:iam::${this.accountId}:user/mock`, userId: "AIDAMOCK", id: this.accountId };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      default:
        throw new Error(`the mock account does not answer ${args.token}: add it to offline/fakeAws/account.ts`);
    }
  }
}

/**
 * Waits until every resource registration in flight has reached the mocks. Pulumi keeps them on
 * one promise chain (runtime/state.js, settings.rpcDone); we wait until it stops growing.
 */
export async function settle(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { rpcDone: Promise<unknown> } } };
  const settings = state.getStore().settings;
  for (;;) {
    const pending = settings.rpcDone;
    await pending;
    await new Promise((resolve) => setImmediate(resolve));
    if (pending === settings.rpcDone) return;
  }
}

/** The value of an Output, for tests and tools (assertions inside apply would be swallowed). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
