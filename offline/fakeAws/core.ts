// The fake AWS account: it answers creates, updates and deletes the way AWS would, with the IDs
// and ARNs AWS would give, after running the rules AWS would run (rules/, one file per service).
// One account can host many stacks, so physical-name collisions between teams are caught too. It
// knows nothing of Pulumi's runtime: two adapters put it behind Pulumi, `pulumi.runtime.setMocks`
// (account.ts, for the unit tests and `npm run plan`) and a real provider plugin (plugin.ts, for
// the real engine). One fake, one truth.

import { createHash } from "node:crypto";
import { afterStatusChange, afterUpdate, deleteProblems, effective, FLINK_APPLICATION, lifeAtCreate, type FlinkLife } from "./flinkLife";
import { RULES, type CloudView } from "./rules";

export { FLINK_APPLICATION } from "./flinkLife";

export const MOCK_ACCOUNT_ID = "123456789012";

/**
 * Where the fake puts a resource whose provider names no region, and what getRegion answers then:
 * the AWS SDKs' and CLI's usual region (AWS itself has none). The fake's own on purpose, not
 * policy/limits.ts's LAB_REGION: the fake account shares nothing with the program it checks.
 */
export const FALLBACK_REGION = "us-east-1";

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
  /** A Managed Flink application's life in the service (status, transitions, snapshot): flink.ts's model. */
  readonly flink?: FlinkLife;
}

/**
 * AWS refused a create, update or delete; `problems` name each rule broken, with its page.
 * `applied`: AWS had taken the change before it failed (an application that took its new
 * configuration and then failed to start), so the account keeps it.
 */
export class AwsRuleViolation extends Error {
  constructor(
    readonly type: string,
    readonly logicalName: string,
    readonly problems: string[],
    readonly applied = false,
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
export function reveal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return reveal(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

export function isSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** What a fabricator is given: the resource's inputs and logical name, where it lands, a seed, and `n(key)`: the input, or a generated name. */
interface Fabrication {
  readonly inputs: Record<string, unknown>;
  readonly name: string;
  readonly region: string;
  readonly account: string;
  /** What every generated part is hashed from: the same resource, the same ids. */
  readonly seed: string;
  readonly n: (key: string) => string;
}

/** Per type, what AWS hands back for a new resource of it: its id and the attributes our program reads. */
const FABRICATORS: Readonly<Record<string, (f: Fabrication) => { id: string; extra: Record<string, unknown> }>> = {
  "aws:kinesis/stream:Stream": ({ region, account, n }) => {
    const arn = `arn:aws:kinesis:${region}:${account}:stream/${n("name")}`;
    return { id: arn, extra: { arn, name: n("name") } };
  },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ({ region, account, n }) => {
    const arn = `arn:aws:firehose:${region}:${account}:deliverystream/${n("name")}`;
    return { id: arn, extra: { arn, name: n("name") } };
  },
  "aws:s3/bucket:Bucket": ({ region, n }) => ({
    id: n("bucket"),
    extra: { bucket: n("bucket"), arn: `arn:aws:s3:::${n("bucket")}`, region },
  }),
  "aws:iam/role:Role": ({ account, seed, n }) => ({
    id: n("name"),
    extra: {
      name: n("name"),
      arn: `arn:aws:iam::${account}:role/${n("name")}`,
      uniqueId: `AROA${hash(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    },
  }),
  "aws:iam/rolePolicy:RolePolicy": ({ inputs, n }) => ({ id: `${String(inputs.role)}:${n("name")}`, extra: { name: n("name") } }),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html: known by its name.
  "aws:iam/user:User": ({ account, seed, n }) => ({
    id: n("name"),
    extra: {
      name: n("name"),
      arn: `arn:aws:iam::${account}:user/${n("name")}`,
      uniqueId: `AIDA${hash(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    },
  }),
  // The provider generates the password (passwordLength, default 20, every character class) and
  // calls CreateLoginProfile; without a PGP key it hands the plain password back as an output.
  "aws:iam/userLoginProfile:UserLoginProfile": ({ inputs, seed }) => {
    const length = Number(inputs.passwordLength ?? 20);
    const body = `Ab1+${hash(seed, Math.max(0, length - 4), "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")}`;
    return { id: String(inputs.user), extra: { password: body.slice(0, length) } };
  },
  "aws:iam/userPolicy:UserPolicy": ({ inputs, n }) => ({ id: `${String(inputs.user)}:${n("name")}`, extra: { name: n("name") } }),
  "aws:cloudwatch/logGroup:LogGroup": ({ region, account, n }) => ({
    id: n("name"),
    extra: { name: n("name"), arn: `arn:aws:logs:${region}:${account}:log-group:${n("name")}` },
  }),
  "aws:cloudwatch/logStream:LogStream": ({ inputs, region, account, n }) => ({
    id: n("name"),
    extra: {
      name: n("name"),
      arn: `arn:aws:logs:${region}:${account}:log-group:${String(inputs.logGroupName)}:log-stream:${n("name")}`,
    },
  }),
  "aws:cognito/userPool:UserPool": ({ region, account, seed }) => {
    const id = `${region}_${hash(seed, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
    return {
      id,
      extra: { arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`, endpoint: `cognito-idp.${region}.amazonaws.com/${id}` },
    };
  },
  "aws:cognito/userPoolClient:UserPoolClient": ({ seed }) => ({ id: hash(seed, 26), extra: {} }),
  "aws:cognito/user:User": ({ inputs, seed }) => ({
    id: `${String(inputs.userPoolId)}/${String(inputs.username)}`,
    extra: { sub: uuid(seed) },
  }),
  "aws:cognito/identityPool:IdentityPool": ({ region, account, seed }) => {
    const id = `${region}:${uuid(seed)}`;
    return { id, extra: { arn: `arn:aws:cognito-identity:${region}:${account}:identitypool/${id}` } };
  },
  "aws:sns/topic:Topic": ({ region, account, n }) => {
    const arn = `arn:aws:sns:${region}:${account}:${n("name")}`;
    return { id: arn, extra: { arn, name: n("name") } };
  },
  "aws:sns/topicSubscription:TopicSubscription": ({ inputs, seed }) => {
    const arn = `${String(inputs.topic)}:${uuid(seed)}`;
    return { id: arn, extra: { arn, pendingConfirmation: inputs.protocol === "email" } };
  },
  "aws:s3/bucketObjectv2:BucketObjectv2": ({ inputs, seed }) => ({
    id: String(inputs.key),
    extra: {
      key: inputs.key,
      arn: `arn:aws:s3:::${String(inputs.bucket)}/${String(inputs.key)}`,
      versionId: hash(seed, 32),
      etag: hash(seed + "etag", 32, "0123456789abcdef"),
    },
  }),
  "aws:kinesisanalyticsv2/application:Application": ({ inputs, region, account, n }) => {
    const arn = `arn:aws:kinesisanalytics:${region}:${account}:application/${n("name")}`;
    return { id: arn, extra: { arn, name: n("name"), status: inputs.startApplication ? "RUNNING" : "READY", versionId: 1 } };
  },
  "aws:lambda/function:Function": ({ region, account, n }) => {
    const arn = `arn:aws:lambda:${region}:${account}:function:${n("name")}`;
    return {
      id: n("name"),
      extra: { arn, name: n("name"), invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations` },
    };
  },
  "aws:lambda/eventSourceMapping:EventSourceMapping": ({ seed }) => ({ id: uuid(seed), extra: { uuid: uuid(seed), state: "Enabled" } }),
  "aws:sqs/queue:Queue": ({ region, account, n }) => ({
    id: `https://sqs.${region}.amazonaws.com/${account}/${n("name")}`,
    extra: {
      arn: `arn:aws:sqs:${region}:${account}:${n("name")}`,
      url: `https://sqs.${region}.amazonaws.com/${account}/${n("name")}`,
      name: n("name"),
    },
  }),
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html: a
  // dashboard is known by its name, and its ARN has no region (dashboards are global in an account).
  "aws:cloudwatch/dashboard:Dashboard": ({ account, n }) => ({
    id: n("dashboardName"),
    extra: { dashboardName: n("dashboardName"), dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${n("dashboardName")}` },
  }),
  "aws:scheduler/schedule:Schedule": ({ region, account, n }) => ({
    id: `default/${n("name")}`,
    extra: { arn: `arn:aws:scheduler:${region}:${account}:schedule/default/${n("name")}`, name: n("name"), groupName: "default" },
  }),
  "random:index/randomPassword:RandomPassword": ({ inputs, seed }) => {
    const length = Number(inputs.length ?? 16);
    // Deterministic, and satisfying the usual minimums: two of each class, then lower case.
    const body = `AB${hash(seed, 2, "0123456789")}cd${hash(seed + "x", Math.max(0, length - 6), "abcdefghijkmnopqrstuvwxyz")}`;
    return { id: "none", extra: { result: body.slice(0, length) } };
  },
};

/** What AWS hands back for a new resource: its id and the attributes our program reads (FABRICATORS). */
function fabricate(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
  account: string,
  seed: string,
): { id: string; extra: Record<string, unknown> } {
  const n = (key: string) => String(inputs[key] ?? `${name}-${hash(seed, 7)}`);
  const make = FABRICATORS[type];
  if (make) return make({ inputs, name, region, account, seed, n });
  // Bucket sub-resources and attachments: AWS identifies them by their parent.
  return { id: String(inputs.bucket ?? inputs.identityPoolId ?? `${name}-${hash(seed, 8)}`), extra: {} };
}

/** Keys that identify a physical resource of each type: two resources may not share one. */
function uniqueKey(type: string, state: Record<string, unknown>, region: string, account: string): string | undefined {
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return `s3:${String(state.bucket)}`; // one namespace for all accounts
    case "aws:iam/role:Role":
      return `iam:${account}:role:${String(state.name)}`;
    case "aws:iam/user:User":
      return `iam:${account}:user:${String(state.name)}`; // IAM is global: every region
    case "aws:cloudwatch/dashboard:Dashboard":
      return `cloudwatch:${account}:dashboard:${String(state.dashboardName)}`; // global in an account, every region
    case "aws:kinesis/stream:Stream":
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
    case "aws:cloudwatch/logGroup:LogGroup":
    case "aws:sns/topic:Topic":
    case "aws:kinesisanalyticsv2/application:Application":
    case "aws:lambda/function:Function":
    case "aws:sqs/queue:Queue":
    case "aws:scheduler/schedule:Schedule":
      return `${type}:${account}:${region}:${String(state.name)}`;
    // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html
    // (ResourceAlreadyExistsException): a stream's name is unique within its group only.
    case "aws:cloudwatch/logStream:LogStream":
      return `${type}:${account}:${region}:${String(state.logGroupName)}:${String(state.name)}`;
    default:
      return undefined;
  }
}

/**
 * Types AWS keeps in one namespace per account (IAM, CloudWatch dashboards) or per partition (S3
 * buckets and what hangs on a bucket): found without a region.
 */
function isGlobal(type: string): boolean {
  return type.startsWith("aws:s3/") || type.startsWith("aws:iam/") || type === "aws:cloudwatch/dashboard:Dashboard";
}

/**
 * How an adapter names a resource it holds: the engine's id for it, the stack and logical name of
 * its URN, and the state the engine kept (which carries the parent an id is relative to).
 */
export interface Locator {
  readonly type: string;
  readonly id: string;
  readonly stack: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  /** The resource's last known state (inputs and outputs), secret markers removed. */
  readonly state: Record<string, unknown>;
  /** The provider's region, for resources without their own `region`. */
  readonly region?: string;
}

/**
 * What AWS finds a resource by, as one string: never its id alone (issue #26, kind 7: two stacks'
 * `LogStream application`, `RandomPassword none` and JAR objects shared ids, and one team's destroy
 * deleted another's). A log stream within its group and region; an object within its bucket; a
 * random value within its stack's state (the random provider's ids are not unique: "none"); a
 * provider within its stack; a global type (IAM, S3, dashboards) by its id in the account; every
 * other type by its id within its region.
 */
export function addressOf(l: Locator): string {
  const region = String(l.state.region ?? l.region ?? FALLBACK_REGION);
  if (l.type.startsWith("random:") || l.type.startsWith("pulumi:providers:")) return `${l.type} ${l.stack}::${l.name}`;
  switch (l.type) {
    case "aws:cloudwatch/logStream:LogStream":
      return `${l.type} ${region} ${String(l.state.logGroupName)} ${l.id}`;
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      return `${l.type} ${String(l.state.bucket)}/${l.id}`;
  }
  return isGlobal(l.type) ? `${l.type} ${l.id}` : `${l.type} ${region} ${l.id}`;
}

/** A recorded resource as a Locator (what the engine would hand back for it). */
function locatorOf(r: RecordedResource): Locator {
  return { type: r.type, id: r.id, stack: r.stack, name: r.name, state: r.state, ...(r.region ? { region: r.region } : {}) };
}

/**
 * The inputs as the AWS provider hands them to AWS: a policy given as an object (PolicyDocument)
 * becomes its JSON text, as the provider marshals it before calling IAM or S3.
 */
export function asProviderSends(inputs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...inputs };
  for (const key of ["policy", "assumeRolePolicy"])
    if (out[key] !== null && typeof out[key] === "object") out[key] = JSON.stringify(out[key]);
  return out;
}

/** What the account keeps, as JSON: enough to load it again in another process. */
export interface AccountState {
  readonly accountId: string;
  readonly resources: RecordedResource[];
  /** Unique physical keys (uniqueKey) → "stack/logical name" of the owner. */
  readonly taken: Record<string, string>;
}

/** A create as an adapter hands it over. */
export interface CreateRequest {
  readonly stack: string;
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  /** Inputs as they came off the wire: secret values still wrapped in Pulumi's secret marker. */
  readonly wireInputs: Record<string, unknown>;
  /** The provider's region, when the adapter knows it; a resource's own `region` input wins. */
  readonly providerRegion?: string;
  readonly providerId?: string;
  /** The provider's `defaultTags.tags`, which AWS receives on every taggable resource. */
  readonly providerDefaultTags?: Record<string, string>;
}

/**
 * The lab's types that carry tags in AWS (their Args in @pulumi/aws have `tags`): the provider
 * sends them the default tags merged with their own, and the Resource Groups Tagging API finds them.
 */
export const TAGGABLE = new Set([
  "aws:kinesis/stream:Stream",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  "aws:s3/bucket:Bucket",
  "aws:iam/role:Role",
  "aws:iam/user:User",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cognito/userPool:UserPool",
  "aws:cognito/identityPool:IdentityPool",
  "aws:sns/topic:Topic",
  "aws:kinesisanalyticsv2/application:Application",
  "aws:lambda/function:Function",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:sqs/queue:Queue",
]);

/** `defaultTags` as a provider resource holds it (an object, or JSON text on the wire) → its tags. */
export function defaultTagsOf(value: unknown): Record<string, string> | undefined {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  const tags = (v as { tags?: unknown } | undefined)?.tags;
  return tags !== null && typeof tags === "object" ? (tags as Record<string, string>) : undefined;
}

// What AWS refuses to delete while something still hangs on it. Each names its API error.
const DELETE_RULES: Record<string, (r: RecordedResource, account: FakeAccount) => string[]> = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html (DeleteConflict)
  "aws:iam/role:Role": (r, a) =>
    a.resources.some((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && x.inputs.role === r.state.name)
      ? [`role ${String(r.state.name)} still has inline policies: DeleteConflict (delete the policies first)`]
      : [],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html (DeleteConflict): the
  // provider's forceDestroy removes the login profile and policies first, as `destroy` does anyway.
  "aws:iam/user:User": (r, a) =>
    !r.inputs.forceDestroy &&
    a.resources.some(
      (x) =>
        ["aws:iam/userPolicy:UserPolicy", "aws:iam/userLoginProfile:UserLoginProfile"].includes(x.type) && x.inputs.user === r.state.name,
    )
      ? [`user ${String(r.state.name)} still has a login profile or inline policies: DeleteConflict`]
      : [],
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html (BucketNotEmpty)
  "aws:s3/bucket:Bucket": (r, a) =>
    !r.inputs.forceDestroy && a.resources.some((x) => x.type === "aws:s3/bucketObjectv2:BucketObjectv2" && x.inputs.bucket === r.id)
      ? [`bucket ${r.id} is not empty: BucketNotEmpty`]
      : [],
};

/** One AWS account (plus the global S3 namespace), shared by every stack registered into it. */
export class FakeAccount implements CloudView {
  readonly resources: RecordedResource[] = [];
  protected readonly taken = new Map<string, string>();
  /** The account's clock (ms since the epoch), for statuses that settle with time; tests may set it. */
  clock: () => number = Date.now;

  constructor(readonly accountId: string = MOCK_ACCOUNT_ID) {}

  /** An account from its saved state (`toJSON`). */
  static fromJSON(state: AccountState): FakeAccount {
    const a = new FakeAccount(state.accountId);
    a.resources.push(...state.resources);
    for (const [k, v] of Object.entries(state.taken)) a.taken.set(k, v);
    return a;
  }

  toJSON(): AccountState {
    return { accountId: this.accountId, resources: this.resources, taken: Object.fromEntries(this.taken) };
  }

  find(type: string, key: string, region?: string): Record<string, unknown> | undefined {
    return this.record(type, key, region)?.state;
  }

  /**
   * The recorded resource of that type with that id, ARN, name or bucket name, as a rule refers to
   * it; with `region`, only one in that region (global types are in every region).
   */
  record(type: string, key: string, region?: string): RecordedResource | undefined {
    return this.resources.find(
      (x) =>
        x.type === type &&
        (x.id === key || x.state.arn === key || x.state.name === key || x.state.bucket === key) &&
        (!region || isGlobal(type) || (x.region ?? FALLBACK_REGION) === region),
    );
  }

  /** The resource AWS would find for what the engine holds (addressOf), or undefined when AWS has none. */
  locate(at: Locator): RecordedResource | undefined {
    const address = addressOf(at);
    return this.resources.find((r) => r.type === at.type && addressOf(locatorOf(r)) === address);
  }

  /**
   * The ARNs the Resource Groups Tagging API would list for these tag filters (every key must be
   * present with one of its values), as GetResources answers them.
   */
  tagged(filters: { Key: string; Values?: string[] }[]): string[] {
    return this.resources
      .filter((r) => TAGGABLE.has(r.type))
      .filter((r) => {
        const tags = (r.state.tagsAll ?? {}) as Record<string, string>;
        return filters.every((f) => f.Key in tags && (!f.Values?.length || f.Values.includes(tags[f.Key]!)));
      })
      .map((r) => String(r.state.arn ?? r.id));
  }

  /** Resources of one stack (a stack is one team's program run). */
  ofStack(stack: string): RecordedResource[] {
    return this.resources.filter((r) => r.stack === stack);
  }

  /**
   * Creates a resource as AWS would: runs the type's rules, refuses a taken physical name, and
   * returns the id and state (inputs plus what AWS fills in).
   * @throws AwsRuleViolation naming every rule the inputs break, or the type having no rules.
   */
  createResource(req: CreateRequest): { id: string; state: Record<string, unknown> } {
    const { stack, type, name } = req;
    const inputs = asProviderSends(reveal(req.wireInputs) as Record<string, unknown>);
    const secretInputs = Object.keys(req.wireInputs).filter((k) => isSecret(req.wireInputs[k]));
    const region = (inputs.region as string | undefined) ?? req.providerRegion;
    this.check(type, name, inputs, region);

    const seed = `${stack}/${type}/${name}`;
    if (type.startsWith("pulumi:providers:")) {
      const id = `${name}-${hash(seed, 8)}`;
      this.resources.push({ type, name, id, inputs, secretInputs, state: inputs, region, stack });
      return { id, state: inputs };
    }
    const { id, extra } = fabricate(type, name, inputs, region ?? FALLBACK_REGION, this.accountId, seed);
    if (TAGGABLE.has(type)) extra.tagsAll = { ...req.providerDefaultTags, ...(inputs.tags as Record<string, string> | undefined) };
    const state = { ...inputs, ...extra };
    const key = uniqueKey(type, state, region ?? "", this.accountId);
    if (key) {
      const owner = this.taken.get(key);
      if (owner) throw new AwsRuleViolation(type, name, [`the physical name is already taken by ${owner} (AlreadyExists)`]);
      this.taken.set(key, `${stack}/${name}`);
    }
    const flink = type === FLINK_APPLICATION ? lifeAtCreate(inputs, this.clock()) : undefined;
    if (flink) state.status = flink.status;
    this.resources.push({
      type,
      name,
      id,
      inputs,
      secretInputs,
      state,
      region,
      ...(req.providerId ? { providerId: req.providerId } : {}),
      stack,
      ...(flink ? { flink } : {}),
    });
    return { id, state };
  }

  /**
   * Updates a resource in place: the rules run on the new inputs; what AWS filled in stays. Name
   * changes never reach here (they replace the resource: plugin.ts's diff).
   * @throws AwsRuleViolation as createResource, or when the resource does not exist.
   */
  updateResource(at: Locator, wireInputs: Record<string, unknown>): Record<string, unknown> {
    const { type } = at;
    const r = this.locate(at);
    if (!r) throw new AwsRuleViolation(type, at.name, [`${at.id} does not exist in this account (ResourceNotFoundException)`]);
    const inputs = asProviderSends(reveal(wireInputs) as Record<string, unknown>);
    const region = (inputs.region as string | undefined) ?? r.region;
    this.check(type, r.name, inputs, region);
    const extra = Object.fromEntries(Object.entries(r.state).filter(([k]) => !(k in r.inputs)));
    let flink = r.flink;
    let failure: string[] = [];
    if (type === FLINK_APPLICATION) {
      const next = afterUpdate(r.flink ?? lifeAtCreate(r.inputs, this.clock()), r.inputs, inputs, this.clock());
      if (next.refused) throw new AwsRuleViolation(type, r.name, next.refused);
      flink = next.life;
      failure = next.failed ?? [];
      extra.versionId = Number(extra.versionId ?? 1) + 1;
      extra.status = flink.status;
    }
    const updated: RecordedResource = {
      ...r,
      inputs,
      secretInputs: Object.keys(wireInputs).filter((k) => isSecret(wireInputs[k])),
      state: { ...inputs, ...extra },
      region,
      ...(flink ? { flink } : {}),
    };
    this.resources[this.resources.indexOf(r)] = updated;
    if (failure.length > 0) throw new AwsRuleViolation(type, r.name, failure, true);
    return updated.state;
  }

  /**
   * Something outside the stack changed a Managed Flink application's status: the event's stop
   * schedule, `extend`, `cost --stop-over-cap`, the service's own maintenance. It is `status` now
   * and becomes `then` after `settleMs` (never, without `then`).
   * @throws Error when there is no such application.
   */
  setApplicationStatus(nameOrArn: string, status: string, then?: { status: string; afterMs: number }): void {
    const r = this.record(FLINK_APPLICATION, nameOrArn);
    if (!r) throw new Error(`no Managed Flink application ${nameOrArn} in this account`);
    const now = this.clock();
    const flink = afterStatusChange(r.flink ?? lifeAtCreate(r.inputs, now), r.inputs, status, now, then);
    this.resources[this.resources.indexOf(r)] = { ...r, flink, state: { ...r.state, status } };
  }

  /** A Managed Flink application's status now, its transitions played out (undefined when there is none). */
  applicationStatus(nameOrArn: string): string | undefined {
    const r = this.record(FLINK_APPLICATION, nameOrArn);
    return r ? effective(r.flink ?? lifeAtCreate(r.inputs, this.clock()), this.clock()).status : undefined;
  }

  /**
   * Deletes a resource as AWS would: refused while something still hangs on it (DELETE_RULES).
   * Deleting what is already gone succeeds, as the AWS provider treats NotFound on delete.
   * @throws AwsRuleViolation naming what still hangs on it.
   */
  deleteResource(at: Locator): void {
    const { type } = at;
    const r = this.locate(at);
    if (!r) return;
    const problems = [
      ...(DELETE_RULES[type]?.(r, this) ?? []),
      ...(type === FLINK_APPLICATION && r.flink ? deleteProblems(effective(r.flink, this.clock()), String(r.state.name)) : []),
    ];
    if (problems.length > 0) throw new AwsRuleViolation(type, r.name, problems);
    this.resources.splice(this.resources.indexOf(r), 1);
    const key = uniqueKey(type, r.state, r.region ?? "", this.accountId);
    if (key) this.taken.delete(key);
  }

  /**
   * Answers the data-source calls (invokes) the program makes.
   * @throws Error for a call this account does not answer.
   */
  invoke(token: string, region = FALLBACK_REGION): Record<string, unknown> {
    switch (token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: this.accountId, arn: `arn:aws:iam::${this.accountId}:user/fake`, userId: "AIDAFAKEUSER", id: this.accountId };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      default:
        throw new Error(`the fake AWS account does not answer ${token}: add it to offline/fakeAws/core.ts`);
    }
  }

  private check(type: string, name: string, inputs: Record<string, unknown>, region: string | undefined): void {
    const rule = RULES[type];
    if (!rule)
      throw new AwsRuleViolation(type, name, ["this type has no AWS rules in offline/fakeAws/rules yet: add them before creating it"]);
    const problems = rule(inputs, { region: region ?? "", cloud: this });
    if (problems.length > 0) throw new AwsRuleViolation(type, name, problems);
  }
}
