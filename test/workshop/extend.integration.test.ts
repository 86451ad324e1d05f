// `extend` end to end, on the most real machinery here: the team's KDG user in moto's Cognito, its
// Flink application in a stand-in Managed Flink API in front of moto (moto has no Start/Stop),
// its stack in the fake workspace. The event's end is played by firing the very schedules the
// program plans (their universal target and input, as Scheduler would call them); then extend
// must bring the team back: user enabled (it can sign in again), application started from its
// latest snapshot, endsAt moved in the stack and in the state file.

import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cognito from "@aws-sdk/client-cognito-identity-provider";
import * as flinkApi from "@aws-sdk/client-kinesis-analytics-v2";
import { KDG_PASSWORD_POLICY } from "../../components/passwordPolicy";
import { teamStackName } from "../../infra/naming";
import { AwsStandIn } from "../../offline/awsStandIn";
import { startMoto, type LocalAws } from "../../offline/moto";
import { extend, extendClients, formatExtension, type ExtendOptions } from "../../workshop/extend";
import { Orchestrator } from "../../workshop/orchestrator";
import { fileState, memoryState, type StateStore } from "../../workshop/state";
import { runTeam } from "../support";
import { workshopInProcess } from "../support/workshopCli";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";

const REGION = "us-east-1";
const PROJECT = "clickstream-lab";
const EVENT = "ev";
const PASSWORD = "Workshop2026Pass";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Team {
  readonly team: string;
  readonly stack: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly application: string;
}

describe("workshop extend (moto's Cognito, a stand-in Managed Flink API, the fake workspace)", function () {
  this.timeout(120_000);
  let moto: LocalAws;
  let flink: AwsStandIn;
  let users: cognito.CognitoIdentityProviderClient;
  let apps: flinkApi.KinesisAnalyticsV2Client;

  before(async () => {
    moto = await startMoto();
    flink = await AwsStandIn.start(moto.endpoint, { transitionMs: 30 });
    users = new cognito.CognitoIdentityProviderClient({ region: REGION, endpoint: moto.endpoint, credentials });
    apps = new flinkApi.KinesisAnalyticsV2Client({ region: REGION, endpoint: flink.endpoint, credentials });
  });
  after(async () => {
    users?.destroy();
    apps?.destroy();
    await flink?.stop();
    await moto?.stop();
  });

  const options = (until: string, extra: Partial<ExtendOptions> = {}): ExtendOptions => ({
    until,
    project: PROJECT,
    concurrency: 4,
    startingDelayMs: 1,
    pollMs: 20,
    clients: (region, profile) => extendClients(region, profile, { flink: flink.endpoint, cognito: moto.endpoint }),
    ...extra,
  });

  /** What provision and `pulumi up` leave behind for one team: its stack, user and running application. */
  async function deploy(ws: MemoryWorkspace, state: StateStore, team: string, endsAt: string): Promise<Team> {
    const stack = teamStackName(EVENT, team);
    // The pool's password policy as the program sets it (components/kdgAccess.ts).
    const p = KDG_PASSWORD_POLICY;
    const PasswordPolicy = {
      MinimumLength: p.minimumLength,
      RequireLowercase: p.requireLowercase,
      RequireUppercase: p.requireUppercase,
      RequireNumbers: p.requireNumbers,
      RequireSymbols: p.requireSymbols,
    };
    const pool = await users.send(new cognito.CreateUserPoolCommand({ PoolName: `${stack}-kdg`, Policies: { PasswordPolicy } }));
    const poolId = pool.UserPool!.Id!;
    const client = await users.send(
      new cognito.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: `${stack}-kdg-web`,
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
      }),
    );
    await users.send(new cognito.AdminCreateUserCommand({ UserPoolId: poolId, Username: "kdg-user", MessageAction: "SUPPRESS" }));
    await users.send(
      new cognito.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "kdg-user", Password: PASSWORD, Permanent: true }),
    );
    const application = `${stack}-anomaly-detection`;
    await apps.send(
      new flinkApi.CreateApplicationCommand({
        ApplicationName: application,
        RuntimeEnvironment: "FLINK-1_20",
        ServiceExecutionRole: `arn:aws:iam::123456789012:role/${stack}-flink`,
      }),
    );
    await apps.send(new flinkApi.StartApplicationCommand({ ApplicationName: application }));
    ws.extraOutputs.set(stack, {
      region: { value: REGION, secret: false },
      kdgUrl: {
        value: `https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html?upid=${poolId}&ipid=${REGION}:x&cid=${client.UserPoolClient!.ClientId!}&r=${REGION}`,
        secret: false,
      },
      kdgUsername: { value: "kdg-user", secret: false },
      flinkApplicationName: { value: application, secret: false },
    });
    const config = Object.fromEntries(
      Object.entries({ event: EVENT, team, notificationEmail: `${team}@example.com`, endsAt, kdgPassword: PASSWORD }).map(([k, v]) => [
        `${PROJECT}:${k}`,
        { value: v, secret: k === "kdgPassword" },
      ]),
    );
    const [result] = await new Orchestrator(ws, state).provision(
      { specs: [{ team, stack, config }], endsAt },
      { concurrency: 1, startingDelayMs: 1 },
    );
    assert.equal(result!.state, "up");
    await waitFor(() => flink.flinkStatusOf(application) === "RUNNING");
    return { team, stack, poolId, clientId: client.UserPoolClient!.ClientId!, application };
  }

  /**
   * The event's end, as Scheduler plays it: each schedule the program plans calls its universal
   * target (arn:aws:scheduler:::aws-sdk:<service>:<action>) with its input. The plan's user pool
   * id is the mock account's; the team's pool here is moto's.
   */
  async function endOfEvent(t: Team): Promise<void> {
    const plan = await runTeam({ event: EVENT, team: t.team, notificationEmail: `${t.team}@example.com` });
    const schedules = plan
      .all("aws:scheduler/schedule:Schedule")
      .map((s) => (s.inputs as { target: { arn: string; input: string } }).target);
    assert.equal(schedules.length, 2);
    for (const target of schedules) {
      const [, service, action] = /^arn:aws:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z]+)$/.exec(target.arn)!;
      const input = JSON.parse(target.input) as Record<string, unknown>;
      const Command = `${action![0]!.toUpperCase()}${action!.slice(1)}Command`;
      if (service === "kinesisanalyticsv2") {
        assert.equal(input.ApplicationName, t.application);
        const C = (flinkApi as unknown as Record<string, new (i: unknown) => flinkApi.StopApplicationCommand>)[Command]!;
        await apps.send(new C(input));
      } else {
        assert.equal(service, "cognitoidentityprovider");
        const C = (cognito as unknown as Record<string, new (i: unknown) => cognito.AdminDisableUserCommand>)[Command]!;
        await users.send(new C({ ...input, UserPoolId: t.poolId }));
      }
    }
  }

  const signIn = (t: Team) =>
    users.send(
      new cognito.AdminInitiateAuthCommand({
        UserPoolId: t.poolId,
        ClientId: t.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "kdg-user", PASSWORD },
      }),
    );
  const enabled = async (t: Team) =>
    (await users.send(new cognito.AdminGetUserCommand({ UserPoolId: t.poolId, Username: "kdg-user" }))).Enabled;

  it("brings an ended team back: user enabled, application started from its latest snapshot, endsAt moved", async () => {
    const ws = new MemoryWorkspace(1);
    const state = memoryState();
    const ended = iso(60_000); // the config is checked at provision; the event "ends" below
    const a = await deploy(ws, state, "alpha", ended);
    const b = await deploy(ws, state, "bravo", ended);
    await endOfEvent(a);
    await waitFor(() => flink.flinkStatusOf(a.application) === "READY");
    assert.equal(await enabled(a), false);
    await assert.rejects(signIn(a), /NotAuthorizedException|disabled/i, "a disabled user cannot sign in");
    const startsBefore = flink.calls("StartApplication").length;

    const until = iso(3 * 3_600_000);
    const lines: string[] = [];
    const results = await extend(["alpha", "bravo"], ws, state, options(until, { log: (team, line) => lines.push(`${team} ${line}`) }));

    assert.deepEqual(
      results.map((r) => [r.team, r.outcome, r.from, r.to, r.kdgUser, r.application]),
      [
        ["alpha", "extended", ended, until, "re-enabled", "started from the latest snapshot"],
        ["bravo", "extended", ended, until, "already enabled", "already RUNNING"],
      ],
    );
    const starts = flink.calls("StartApplication").slice(startsBefore);
    assert.deepEqual(
      starts.map((r) => r.input),
      [
        {
          ApplicationName: a.application,
          RunConfiguration: {
            ApplicationRestoreConfiguration: { ApplicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
            FlinkRunConfiguration: { AllowNonRestoredState: true },
          },
        },
      ],
    );
    await waitFor(() => flink.flinkStatusOf(a.application) === "RUNNING");
    assert.equal(await enabled(a), true);
    assert.ok((await signIn(a)).AuthenticationResult?.AccessToken, "the KDG credentials work again");
    for (const t of [a, b]) {
      const config = ws.stacks.get(t.stack)!.config;
      assert.equal(config[`${PROJECT}:endsAt`]!.value, until);
      assert.deepEqual(
        config[`${PROJECT}:kdgPassword`],
        { value: PASSWORD, secret: true },
        "the rest of the config is kept, secrets still secret",
      );
      assert.equal(state.get(t.team)!.endsAt, until, "destroy --expired now waits for the new end");
    }
    assert.match(
      formatExtension(results),
      /^alpha: endsAt .* -> .*; KDG user re-enabled; Flink application started from the latest snapshot\nbravo: .*KDG user already enabled; Flink application already RUNNING\nextend: 2 team\(s\): 2 extended, 0 failed\n$/,
    );
  });

  it("waits for a stopping application, and retries a start refused while another operation runs", async () => {
    const ws = new MemoryWorkspace(1);
    const state = memoryState();
    const c = await deploy(ws, state, "charlie", iso(60_000));
    await endOfEvent(c);
    flink.setFlinkStatus(c.application, "STOPPING", { status: "READY", afterMs: 150 });
    flink.failNext("StartApplication", { type: "ConcurrentModificationException", message: "Another operation is in progress" });
    const before = flink.calls("StartApplication").length;
    const results = await extend(["charlie"], ws, state, options(iso(3_600_000)));
    assert.equal(results[0]!.outcome, "extended", results[0]!.error);
    assert.equal(results[0]!.application, "started from the latest snapshot");
    const tries = flink
      .calls("StartApplication")
      .slice(before)
      .filter((r) => r.input.ApplicationName === c.application);
    assert.equal(tries.length, 2, "one refused by ConcurrentModificationException, then one that started it");
  });

  it("leaves a team whose update fails as it was: user still disabled, application still stopped", async () => {
    const ws = new MemoryWorkspace(1);
    const state = memoryState();
    const d = await deploy(ws, state, "delta", iso(60_000));
    await endOfEvent(d);
    await waitFor(() => flink.flinkStatusOf(d.application) === "READY");
    ws.failures.set(d.stack, [new Error("error: the policy pack refused the update")]);
    const results = await extend(["delta"], ws, state, options(iso(3_600_000)));
    assert.equal(results[0]!.outcome, "failed");
    assert.match(results[0]!.error!, /^up: .*policy pack refused/);
    assert.equal(await enabled(d), false, "credentials stay off while the schedules still say the old end");
    assert.equal(flink.flinkStatusOf(d.application), "READY");
    assert.match(formatExtension(results), /delta: FAILED at up: .*KDG user and application left as they were/);
  });

  it("on the command line: refuses a bad --until with exit 2, then extends with exit 0 (every AWS call through --endpoint)", async () => {
    const ws = new MemoryWorkspace(1);
    const dir = mkdtempSync(join(tmpdir(), "extend-cli-"));
    const statePath = join(dir, "state.json");
    const e = await deploy(ws, fileState(statePath), "echo", iso(60_000));
    await endOfEvent(e);
    await waitFor(() => flink.flinkStatusOf(e.application) === "READY");
    // --endpoint: the stand-in answers Managed Flink and passes every other call (Cognito) on to moto.
    const run = (...args: string[]) =>
      workshopInProcess(["--state", statePath, "--logs", join(dir, "logs"), "--endpoint", flink.endpoint, "extend", ...args], {
        workspace: () => ws,
        now: () => new Date(),
      });

    const bad = await run("--until", "2026-02-30T10:00:00Z");
    assert.equal(bad.code, 2, bad.err);
    assert.match(
      bad.err,
      /extend refused; nothing was changed:\n {2}- --until "2026-02-30T10:00:00Z" is not an ISO 8601 date and time with a time zone on a real calendar day\./,
    );
    assert.equal(await enabled(e), false);

    const until = iso(2 * 3_600_000);
    const good = await run("--until", until, "--team", "echo");
    assert.equal(good.code, 0, good.err + good.out);
    assert.match(
      good.out,
      new RegExp(
        `^echo: endsAt \\S+ -> ${until}; KDG user re-enabled; Flink application started from the latest snapshot\nextend: 1 team\\(s\\): 1 extended, 0 failed\n$`,
      ),
    );
    assert.equal(fileState(statePath).get("echo")!.endsAt, until);
    assert.equal(await enabled(e), true);
  });
});

async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
