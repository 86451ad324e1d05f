// The README's deploy path, command for command, on the real Pulumi engine (built from source by
// scripts/setup-engine.sh) against the fake AWS account as the provider plugin. No file is edited
// by hand: every change goes through `pulumi` as a user would type it.

import { strict as assert } from "node:assert";
import { createSandbox, POLICY_PACK_SHIM, type EngineSandbox } from "../../offline/engine/sandbox";
import { endsAtIn, pulumiOk } from "../support/engine";

type Step = { op: string; urn: string; diffReasons?: string[]; replaceReasons?: string[] };

describe("README deploy path on the real engine", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  const ok = (args: string[]) => pulumiOk(sb, args);

  before(() => {
    sb = createSandbox();
  });
  after(() => sb.dispose());

  it("logs in to a local backend, creates the dev stack, sets the two keys, previews and comes up with the pack", async () => {
    // The README says `pulumi login --local`; that is ~/.pulumi of the machine's user, so the test
    // logs in to a local file backend of its own: the same kind of backend.
    await ok(["login", sb.backend]);
    await ok(["stack", "init", "dev"]);
    await ok(["config", "set", "notificationEmail", "you@example.com"]);
    await ok(["config", "set", "endsAt", endsAtIn(4)]);
    // The README's `--policy-pack policy`: served here by the shim (the language host built here
    // cannot start packs; docs/proof-without-a-cloud.md).
    const preview = await ok(["preview", "--policy-pack", POLICY_PACK_SHIM]);
    assert.match(preview, /Policies:/);
    assert.deepEqual(sb.account().resources, [], "the preview created nothing");
    const up = await ok(["up", "--yes", "--policy-pack", POLICY_PACK_SHIM]);
    assert.match(up, /\+ \d+ created/);
    const resources = sb.account().resources;
    assert.ok(resources.length > 40, `the fake account holds ${resources.length} resources`);
    assert.ok(
      resources.some((r) => r.type === "aws:kinesisanalyticsv2/application:Application" && r.state.name === "dev-solo-anomaly-detection"),
    );
  });

  it("prints the KDG URL and the generated password as the README says", async () => {
    const url = (await ok(["stack", "output", "kdgUrl"])).trim();
    assert.match(
      url,
      /^https:\/\/awslabs\.github\.io\/amazon-kinesis-data-generator\/web\/producer\.html\?upid=us-east-1_\w+&ipid=us-east-1:[0-9a-f-]+&cid=\w+&r=us-east-1$/,
    );
    const hidden = (await ok(["stack", "output", "kdgPassword"])).trim();
    assert.equal(hidden, "[secret]");
    const password = (await ok(["stack", "output", "kdgPassword", "--show-secrets"])).trim();
    assert.ok(password.length >= 12 && password !== "[secret]", `password ${JSON.stringify(password)}`);
    const user = sb.account().resources.find((r) => r.type === "aws:cognito/user:User")!;
    assert.equal(user.inputs.password, password, "the user pool's user has the password handed out");
  });

  it("a second up changes nothing (no perpetual diff)", async () => {
    const preview = await ok(["preview", "--expect-no-changes"]);
    assert.match(preview, /\d+ unchanged/);
  });

  it("a new threshold updates the Flink application in place, not by replacement", async () => {
    await ok(["config", "set", "anomalyThreshold", "3"]);
    const steps = (JSON.parse(await ok(["preview", "--json"])) as { steps: Step[] }).steps;
    const changed = steps.filter((s) => s.op !== "same");
    const app = changed.find((s) => s.urn.endsWith("::analytics-app"));
    assert.equal(app?.op, "update", JSON.stringify(changed.map((s) => [s.op, s.urn.split("::").pop()])));
    assert.ok(
      changed.every((s) => s.op === "update"),
      `only updates: ${JSON.stringify(changed.map((s) => [s.op, s.urn.split("::").pop()]))}`,
    );
    await ok(["up", "--yes"]);
    const held = sb.account().resources.find((r) => r.type === "aws:kinesisanalyticsv2/application:Application")!;
    assert.equal(held.state.versionId, 2, "AWS keeps the application and bumps its version");
    const groups = (
      held.inputs.applicationConfiguration as { environmentProperties: { propertyGroups: { propertyMap: Record<string, string> }[] } }
    ).environmentProperties.propertyGroups;
    assert.ok(
      groups.some((g) => Object.values(g.propertyMap).includes("3")),
      "the threshold reached the application's properties",
    );
  });

  it("destroy leaves the fake account empty", async () => {
    await ok(["destroy", "--yes"]);
    assert.deepEqual(sb.account().resources, []);
    assert.deepEqual(sb.account().taken, {});
  });
});
