// The instructor CLI end to end on the real engine: `npm run workshop` drives the Automation API,
// which drives the Pulumi CLI built here, the policy pack, and the fake AWS account as the provider
// plugin. Five teams at concurrency 3; one team fails at create (its stream name was taken by hand
// in the account), one is refused by the event's own pack limits at its preview, before any of its
// resources exist; the others come up, are listed, are left alone by a second run and by a
// refresh (which keeps the KDG password secret), then ONE team is destroyed while every other
// team's resources stay exactly as they were (#26 kind 7: the stacks share resource ids), and the
// rest are destroyed with the tagging API finding nothing left.

import { strict as assert } from "node:assert";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineSandbox } from "../../offline/engine/sandbox";
import { FakeAccount } from "../../offline/fakeAws/core";
import { teamNames, teamStackName } from "../../infra/naming";
import { workshopSandbox, type WorkshopSandbox } from "../support/engine";

const TEAMS = ["alpha", "bravo", "charlie", "delta", "echo"];

describe("instructor CLI on the real engine", function () {
  this.timeout(3_600_000);
  let w: WorkshopSandbox;
  let sb: EngineSandbox;
  let event: string;
  /** The roster at concurrency 3, with documented quotas (no AWS account to ask). */
  const provision = (attempts: number) =>
    w.workshop([
      "provision",
      "--roster",
      w.roster,
      "--concurrency",
      "3",
      "--attempts",
      String(attempts),
      "--quotas",
      "documented",
      // No AWS to ask in the sandbox: preflight's own test is test/workshop/preflight*.test.ts.
      "--skip-preflight",
    ]);
  const resourcesOf = (team: string) => sb.account().resources.filter((r) => r.stack === teamStackName(event, team));

  before(async () => {
    // This event sends no SMS at all; echo's row has a phone, valid for the project but not for this event.
    w = await workshopSandbox({
      roster: ["team,email,phone", ...TEAMS.map((t) => `${t},${t}@example.com,${t === "echo" ? "+15555550123" : ""}`)],
      apis: ["AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API"],
      globalOptions: (project) => ["--policy-pack-config", join(project, "limits.json")],
    });
    ({ sb, event } = w);
    writeFileSync(join(sb.project, "limits.json"), JSON.stringify({ "sns-email-or-local-sms": { smsCountryCodes: [] } }));

    // delta's ingest stream name is already taken in the account: created by hand, outside Pulumi.
    const account = new FakeAccount();
    account.createResource({
      stack: "by-hand",
      type: "aws:kinesis/stream:Stream",
      name: "console",
      wireInputs: { name: teamNames(event, "delta").ingestStream, shardCount: 1 },
      providerRegion: "us-east-1",
    });
    writeFileSync(sb.accountFile, JSON.stringify(account.toJSON()));
  });
  after(async () => {
    await w?.close();
  });

  it("provisions 5 teams at concurrency 3: 3 up, delta failed at create, echo refused before anything exists", async () => {
    const r = await provision(2);
    assert.equal(r.code, 1, `provision should report the two teams that did not come up:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /provision: 5 team\(s\): 3 up, 0 skipped, 1 refused, 0 destroyed, 1 failed/);
    assert.match(r.stdout, /REFUSED echo: refused by the policy pack before anything was created:[\s\S]*sns-email-or-local-sms/);
    assert.match(r.stdout, /FAILED delta after 1 attempt\(s\): .*already taken.*\(AlreadyExists\)/, "the summary names what AWS refused");
    for (const t of ["alpha", "bravo", "charlie"]) assert.ok(resourcesOf(t).length > 40, `${t} has ${resourcesOf(t).length} resources`);
    assert.deepEqual(resourcesOf("echo"), [], "echo's preview created nothing");
  });

  it("lists the teams that are up in the hand-out", async () => {
    const r = await w.workshop(["roster", "--format", "csv"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.split(",")[0])
        .sort(),
      ["alpha", "bravo", "charlie"],
    );
    assert.match(lines[1]!, /https:\/\/awslabs\.github\.io\/amazon-kinesis-data-generator\/web\/producer\.html\?upid=us-east-1_/);
  });

  it("shows each team's stack state", async () => {
    const r = await w.workshop(["status"]);
    for (const t of ["alpha", "bravo", "charlie"]) assert.match(r.stdout, new RegExp(`^${t}\\s+${teamStackName(event, t)}\\s+up`, "m"));
    assert.match(r.stdout, /^delta\s+\S+\s+failed/m);
  });

  it("a second provision leaves the teams that are up alone", async () => {
    const before = JSON.stringify(
      sb.account().resources.filter((r) => r.stack !== teamStackName(event, "delta") && r.stack !== teamStackName(event, "echo")),
    );
    const r = await provision(1);
    assert.match(r.stdout, /3 skipped/);
    assert.equal(
      JSON.stringify(
        sb.account().resources.filter((x) => x.stack !== teamStackName(event, "delta") && x.stack !== teamStackName(event, "echo")),
      ),
      before,
    );
  });

  it("refreshes a team's stack and keeps its KDG password a secret in the state", async () => {
    const stack = teamStackName(event, "bravo");
    const password = resourcesOf("bravo").find((x) => x.type === "random:index/randomPassword:RandomPassword")!.state.result as string;
    const refresh = await sb.pulumi(["refresh", "--yes", "--skip-preview", "--stack", stack], 1_800_000);
    assert.equal(refresh.code, 0, `${refresh.stdout}\n${refresh.stderr}`);
    const exported = await sb.pulumi(["stack", "export", "--stack", stack]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(exported.stdout.includes("4dabf18193072939515e22adb298388d"), "the state holds secrets");
    assert.ok(!exported.stdout.includes(password), "the KDG password is in the refreshed state in plain text");
  });

  it("destroys one team: every other team keeps every resource, and the receipt is true", async () => {
    // The team whose Flink log stream ("application", the same id in every team) was created last:
    // a lookup by id alone would find another team's first.
    const account = sb.account();
    const streams = account.resources.filter((x) => x.type === "aws:cloudwatch/logStream:LogStream" && x.name === "analytics-log-stream");
    const last = ["alpha", "bravo", "charlie"].find((t) => streams.at(-1)!.stack === teamStackName(event, t))!;
    const others = ["alpha", "bravo", "charlie"].filter((t) => t !== last);
    const before = JSON.stringify(others.map(resourcesOf));
    const cloud = resourcesOf(last).filter((x) => !x.type.startsWith("pulumi:")).length;
    const r = await w.workshop(["destroy", "--team", last]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(
      resourcesOf(last).map((x) => `${x.type} ${x.name}`),
      [],
      `${last} left resources of its own`,
    );
    assert.equal(JSON.stringify(others.map(resourcesOf)), before, `destroying ${last} changed ${others.join(" or ")}`);
    assert.match(r.stdout, new RegExp(`${last}: deleted ${cloud} resource\\(s\\)`));
    assert.match(r.stdout, /All clear: 1 team\(s\) destroyed/);
    assert.equal(statSync(sb.accountFile).mode & 0o777, 0o600, "the account file (it holds passwords) is owner-only");
  });

  it("destroys every team; the tagging API finds nothing of theirs left", async () => {
    const r = await w.workshop(["destroy", "--all"]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout, /LEFTOVER/);
    for (const t of TEAMS) assert.deepEqual(resourcesOf(t), [], `${t} left resources`);
    assert.deepEqual(
      sb.account().resources.map((x) => x.stack),
      ["by-hand"],
      "only what was made by hand is left",
    );
  });
});
