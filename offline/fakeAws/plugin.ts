// The fake AWS account as a real Pulumi provider plugin, for the real engine (`pulumi preview`,
// `up`, `destroy`, the Automation API). The engine starts `pulumi-resource-aws` (and
// `pulumi-resource-random`) from PATH; bin/ holds those two launchers, which run this file.
// Every create, update and delete goes to the same account (core.ts) and the same rules (rules.ts)
// as the unit tests' mocks; the account lives in a JSON file shared by every provider process of
// every stack, so state survives between `up`, a later `up` and `destroy`, and parallel stacks
// see each other's names.
//
//   FAKE_AWS_ACCOUNT  the account's state file (required; created on first use)
//
// Usage (by the engine): plugin.ts <aws|random> <engine address>

import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import { changeAccount, loadAccount } from "./accountFile";
import {
  asProviderSends,
  defaultTagsOf,
  FakeAccount,
  FALLBACK_REGION,
  FLINK_APPLICATION,
  type Locator,
  type RecordedResource,
} from "./core";
import { RULES } from "./rules";

/** The engine's marker for a value not known until the resource it comes from exists. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
// How the engine marks a secret on the wire (sdk/nodejs/runtime/rpc.ts, specialSigKey).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
// Assets and archives on the wire (sdk/nodejs/runtime/rpc.ts): compared by content hash, since
// their path or form may change while their content does not.
const ASSET_SIGS = ["c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"];

/**
 * Inputs whose change makes AWS replace the resource rather than update it: the create-only
 * arguments of the Terraform AWS provider's schemas, which the Pulumi AWS provider wraps
 * (`ForceNew`), for the types this lab creates. Types not listed replace on a name change only.
 */
const REPLACE_ON: Record<string, readonly string[]> = {
  "aws:kinesis/stream:Stream": ["name"],
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ["name", "destination", "kinesisSourceConfiguration"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["bucket"],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["bucket"],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket"],
  "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
  "aws:iam/role:Role": ["name", "namePrefix"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "role"],
  "aws:iam/userLoginProfile:UserLoginProfile": ["user", "pgpKey", "passwordLength", "passwordResetRequired"],
  "aws:iam/userPolicy:UserPolicy": ["name", "user"],
  "aws:cloudwatch/logGroup:LogGroup": ["name"],
  "aws:cloudwatch/logStream:LogStream": ["name", "logGroupName"],
  "aws:cognito/userPool:UserPool": ["name", "aliasAttributes", "usernameAttributes"],
  "aws:cognito/userPoolClient:UserPoolClient": ["userPoolId", "generateSecret"],
  "aws:cognito/user:User": ["userPoolId", "username"],
  "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": ["identityPoolId"],
  "aws:sns/topic:Topic": ["name", "fifoTopic"],
  "aws:sns/topicSubscription:TopicSubscription": ["topic", "protocol", "endpoint"],
  "aws:kinesisanalyticsv2/application:Application": ["name"],
  "aws:lambda/function:Function": ["name"],
  "aws:lambda/eventSourceMapping:EventSourceMapping": ["eventSourceArn", "startingPosition"],
  "aws:sqs/queue:Queue": ["name", "fifoQueue"],
  "aws:scheduler/schedule:Schedule": ["name", "groupName"],
  "aws:cloudwatch/dashboard:Dashboard": ["dashboardName"],
};

function stateFile(): string {
  const file = process.env.FAKE_AWS_ACCOUNT;
  if (!file) throw new Error("FAKE_AWS_ACCOUNT is not set: name the fake AWS account's state file (see offline/fakeAws/plugin.ts)");
  return file;
}

/** Reads the account without a lock: writes are atomic renames, so a read sees one whole state. */
function peek(): FakeAccount {
  return loadAccount(stateFile());
}

/**
 * Runs `op` on the account under an exclusive lock and saves what it leaves, atomically and
 * owner-only: the account holds the stacks' random passwords (#26, kinds 1 and 7).
 */
function transact<T>(op: (account: FakeAccount) => T): Promise<T> {
  return changeAccount(stateFile(), op);
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` → its parts. */
function parseUrn(urn: string): { stack: string; type: string; name: string } {
  const parts = urn.split("::");
  const stack = (parts[0] ?? "").replace(/^urn:pulumi:/, "");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return { stack, type, name: parts.slice(3).join("::") };
}

function wrapSecret(value: unknown): unknown {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/**
 * What the engine gets back of a resource (on create, update and refresh alike): the keys that were
 * secret inputs stay secret, and so does a random password's result (#26 kind 7: a refresh used to
 * bring the KDG password back into the state in plain text).
 */
function outs(type: string, values: Record<string, unknown>, secretKeys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const k of secretKeys) if (k in out) out[k] = wrapSecret(plain(out[k]));
  if (type === "random:index/randomPassword:RandomPassword" && "result" in out) out.result = wrapSecret(plain(out.result));
  return out;
}

const secretKeysOf = (wire: Record<string, unknown>) => Object.keys(wire).filter((k) => isSecretValue(wire[k]));

function isSecretValue(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** What the engine holds of a resource, as the account finds it (core.ts addressOf): never its id alone. */
function locator(id: string, urn: string, props: unknown): Locator {
  const { stack, type, name } = parseUrn(urn);
  return {
    type,
    id,
    stack,
    name,
    state: (plain(props ?? {}) as Record<string, unknown>) ?? {},
    ...(providerRegion ? { region: providerRegion } : {}),
  };
}

/** A held resource's state as AWS describes it now: a Flink application's status with its transitions played out. */
function described(account: FakeAccount, held: RecordedResource): Record<string, unknown> {
  if (held.type !== FLINK_APPLICATION) return held.state;
  return { ...held.state, status: account.applicationStatus(String(held.state.arn)) ?? held.state.status };
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return plain(o.value);
    if (ASSET_SIGS.includes(String(o[SECRET_SIG_KEY])) && typeof o.hash === "string") return { hash: o.hash };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** The top-level inputs that differ between what AWS holds and what the program now asks for. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => hasUnknown(after[k]) || JSON.stringify(plain(before[k])) !== JSON.stringify(plain(after[k])));
}

/** The provider's region, from its configuration (Configure), for resources without their own. */
let providerRegion: string | undefined;
/** The provider's default tags, from its configuration, for every taggable resource. */
let providerDefaultTags: Record<string, string> | undefined;

/**
 * The engine configures each provider instance (one process per `aws.Provider`) through
 * Configure, which `@pulumi/pulumi/provider` answers without passing the values on. We read the
 * region there and run AWS's rules for the provider itself (a region that does not exist).
 */
function captureConfigure(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [dirname(require.resolve("@pulumi/pulumi"))] })) as {
    Server: { prototype: { addService: (this: unknown, service: unknown, impl: Record<string, unknown>) => void } };
  };
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, impl) {
    const configure = impl.configure as (call: unknown, callback: (err: unknown, resp?: unknown) => void) => void;
    const bound = configure.bind(impl);
    impl.configure = (
      call: {
        request: {
          getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
          getVariablesMap(): { toArray(): [string, string][] };
        };
      },
      callback: (err: unknown, resp?: unknown) => void,
    ) => {
      const args = call.request.getArgs()?.toJavaScript() ?? {};
      const variables = Object.fromEntries(call.request.getVariablesMap().toArray());
      const region = (plain(args.region) as string | undefined) ?? Object.entries(variables).find(([k]) => /:region$/.test(k))?.[1];
      providerRegion = region;
      providerDefaultTags = defaultTagsOf(plain(args.defaultTags) ?? Object.entries(variables).find(([k]) => /:defaultTags$/.test(k))?.[1]);
      if (pkg === "aws") {
        let cloud: FakeAccount;
        try {
          cloud = peek();
        } catch (e) {
          // A throw here would reach the engine as a bare "Unknown error" (#26 kind 7): say what is wrong.
          callback({ code: 9, details: e instanceof Error ? e.message : String(e) });
          return;
        }
        const refused = accountRefusal(plain(args) as Record<string, unknown>, cloud.accountId);
        if (refused) {
          callback({ code: 3, details: refused });
          return;
        }
        const problems = RULES["pulumi:providers:aws"]!(
          { ...(plain(args) as Record<string, unknown>), region },
          { region: region ?? "", cloud },
        );
        if (problems.length > 0) {
          callback({ code: 3, details: `AWS would reject this provider configuration:\n  - ${problems.join("\n  - ")}` });
          return;
        }
      }
      bound(call, callback);
    };
    addService.call(this, service, impl);
  };
}

/**
 * The account the provider's credentials reach, as moto reads credentials: a 12-digit access key ID
 * is the account's ID. The provider's own `profile` is looked up in the shared credentials file
 * first; then the environment's keys; then AWS_PROFILE's; otherwise the fake account's own ID.
 */
function accountOfCredentials(profile: string | undefined, own: string, env: NodeJS.ProcessEnv = process.env): string {
  const keyOf = (p: string) => {
    const file = env.AWS_SHARED_CREDENTIALS_FILE ?? `${env.HOME ?? ""}/.aws/credentials`;
    if (!existsSync(file)) return undefined;
    const section = readFileSync(file, "utf8")
      .split(/^\s*\[/m)
      .find((s) => s.startsWith(`${p}]`));
    return /^\s*aws_access_key_id\s*=\s*(\S+)/m.exec(section ?? "")?.[1];
  };
  const key = (profile ? keyOf(profile) : undefined) ?? env.AWS_ACCESS_KEY_ID ?? (env.AWS_PROFILE ? keyOf(env.AWS_PROFILE) : undefined);
  return key && /^\d{12}$/.test(key) ? key : own;
}

/**
 * What the AWS provider answers at Configure when its credentials reach an account outside
 * `allowedAccountIds` (or inside `forbiddenAccountIds`): it stops before any resource is read or
 * created, in the Terraform AWS provider's words ("AWS account ID not allowed"). Undefined when allowed.
 */
function accountRefusal(args: Record<string, unknown>, own: string): string | undefined {
  const list = (v: unknown): string[] => {
    if (typeof v === "string" && !v.trim().startsWith("[")) return v.trim() ? [v.trim()] : [];
    const parsed = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  };
  const account = accountOfCredentials(typeof args.profile === "string" && args.profile ? args.profile : undefined, own);
  const allowed = list(args.allowedAccountIds);
  if (allowed.length > 0 && !allowed.includes(account)) return `AWS account ID not allowed: ${account} (allowed: ${allowed.join(", ")})`;
  if (list(args.forbiddenAccountIds).includes(account)) return `AWS account ID not allowed: ${account} (forbidden)`;
  return undefined;
}

const pkg = process.argv[2] === "random" ? "random" : "aws";
const version = (JSON.parse(readFileSync(require.resolve(`@pulumi/${pkg}/package.json`), "utf8")) as { version: string }).version;

const fake: provider.Provider = {
  version,

  check: (_urn, _olds, news) => Promise.resolve({ inputs: news as Record<string, unknown> }),

  diff: (id, urn, olds, news) => {
    const { type } = parseUrn(urn);
    const held = peek().locate(locator(id, urn, olds));
    const before = held ? held.inputs : (olds as Record<string, unknown>);
    // AWS holds what the provider sent it: compare the program's inputs in that same form.
    const changed = changedKeys(before, asProviderSends(plain(news) as Record<string, unknown>));
    const forcing = type.startsWith("random:") ? changed : changed.filter((k) => (REPLACE_ON[type] ?? ["name"]).includes(k));
    return Promise.resolve({ changes: changed.length > 0, replaces: forcing, deleteBeforeReplace: false });
  },

  create: async (urn, inputs) => {
    const { stack, type, name } = parseUrn(urn);
    const wire = inputs as Record<string, unknown>;
    const { id, state } = await transact((a) =>
      a.createResource({
        stack,
        type,
        name,
        wireInputs: wire,
        ...(providerRegion ? { providerRegion } : {}),
        ...(providerDefaultTags ? { providerDefaultTags } : {}),
      }),
    );
    return { id, outs: outs(type, state, secretKeysOf(wire)) };
  },

  // `pulumi refresh` (and import): what AWS holds now, secrets still secret.
  read: (id, urn, props) => {
    const { type } = parseUrn(urn);
    const account = peek();
    const held = account.locate(locator(id, urn, props));
    if (!held) return Promise.resolve({ id: "" });
    return Promise.resolve({
      id,
      props: outs(type, described(account, held), held.secretInputs),
      inputs: outs(type, held.inputs, held.secretInputs),
    });
  },

  update: async (id, urn, olds, news) => {
    const { type } = parseUrn(urn);
    const wire = news as Record<string, unknown>;
    const state = await transact((a) => a.updateResource(locator(id, urn, olds), wire));
    return { outs: outs(type, state, secretKeysOf(wire)) };
  },

  delete: async (id, urn, props) => {
    await transact((a) => a.deleteResource(locator(id, urn, props)));
  },

  invoke: (token) => Promise.resolve({ outputs: peek().invoke(token, providerRegion ?? FALLBACK_REGION) }),
};

captureConfigure();
provider.main(fake, process.argv.slice(3)).catch((e: unknown) => {
  process.stderr.write(`fake AWS provider: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
