// The attendee's read-only console view on the real engine (built from source) against the fake
// AWS account: the program's viewer user, its console password and its one policy pass our policy
// pack at `up`; the policy AWS would receive lets the team read its own dashboard and logs and
// nothing of another team's, until endsAt; moving endsAt (what `workshop extend` does) moves the
// policy's end in place, keeping the user and its password; destroy removes all three.
// One stack, two ups and a destroy: 15 minutes measured at a load average of ~50 on 2 cores.

import { strict as assert } from "node:assert";
import { teamNames } from "../../infra/naming";
import type { RecordedResource } from "../../offline/fakeAws/core";
import { allows } from "../../offline/fakeAws/policyEval";
import { createSandbox, POLICY_PACK_SHIM, type EngineSandbox } from "../../offline/engine/sandbox";
import { initStack, pulumiOk } from "../support/engine";

const PACK = ["--policy-pack", POLICY_PACK_SHIM];
const whole = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");

/** Policy names the engine printed as mandatory violations. */
const mandatory = (output: string) => [...new Set([...output.matchAll(/\[mandatory\]\s+([\w-]+)/g)].map((m) => m[1]!))];

describe("the attendee's view on the real engine", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  const firstEnd = new Date(Date.now() + 4 * 3_600_000);
  const ok = (args: string[]) => pulumiOk(sb, args);
  const one = (type: string): RecordedResource => {
    const found = sb.account().resources.filter((r) => r.type === type);
    assert.equal(found.length, 1, type);
    return found[0]!;
  };

  before(async () => {
    sb = createSandbox();
    await initStack(sb, "dev", [
      ["team", "alpha"],
      ["notificationEmail", "alpha@example.com"],
      ["endsAt", whole(firstEnd)],
    ]);
  });
  after(() => sb?.dispose());

  it("passes the pack at up, and scopes the viewer to its own dashboard and logs until endsAt", async () => {
    const out = await ok(["up", "--yes", ...PACK]);
    assert.deepEqual(mandatory(out), []);
    const account = sb.account().accountId;
    const user = one("aws:iam/user:User");
    assert.equal(user.state.name, "dev-alpha-viewer");
    assert.equal(one("aws:iam/userLoginProfile:UserLoginProfile").inputs.user, "dev-alpha-viewer");
    const policy = String(one("aws:iam/userPolicy:UserPolicy").inputs.policy);
    const own = teamNames("dev", "alpha");
    const beta = teamNames("dev", "beta");
    const during = new Date(firstEnd.getTime() - 60_000);
    const dashboard = (n: typeof own) => `arn:aws:cloudwatch::${account}:dashboard/${n.dashboard}`;
    const logs = (n: typeof own) => `arn:aws:logs:us-east-1:${account}:log-group:${n.analyticsLogGroup}:*`;
    assert.ok(allows(policy, { action: "cloudwatch:GetDashboard", resource: dashboard(own), at: during }));
    assert.ok(allows(policy, { action: "logs:GetLogEvents", resource: logs(own), at: during }));
    assert.ok(!allows(policy, { action: "cloudwatch:GetDashboard", resource: dashboard(beta), at: during }), "another team's dashboard");
    assert.ok(!allows(policy, { action: "logs:GetLogEvents", resource: logs(beta), at: during }), "another team's logs");
    assert.ok(!allows(policy, { action: "cloudwatch:PutDashboard", resource: dashboard(own), at: during }), "its own dashboard, changed");
    assert.ok(!allows(policy, { action: "cloudwatch:GetDashboard", resource: dashboard(own), at: firstEnd }), "at endsAt");
    // The stack's outputs an instructor's hand-out reads.
    const outputs = JSON.parse(await ok(["stack", "output", "--json", "--show-secrets"])) as Record<string, string>;
    assert.equal(outputs.viewerSignInUrl, `https://${account}.signin.aws.amazon.com/console`);
    assert.equal(outputs.viewerUsername, "dev-alpha-viewer");
    assert.equal(outputs.viewerPassword, one("aws:iam/userLoginProfile:UserLoginProfile").state.password);
  });

  it("moves the end with endsAt, in place: same user, same password", async () => {
    const loginBefore = one("aws:iam/userLoginProfile:UserLoginProfile");
    const later = new Date(firstEnd.getTime() + 2 * 3_600_000);
    await ok(["config", "set", "endsAt", whole(later)]);
    assert.deepEqual(mandatory(await ok(["up", "--yes", ...PACK])), []);
    const loginAfter = one("aws:iam/userLoginProfile:UserLoginProfile");
    assert.equal(loginAfter.id, loginBefore.id);
    assert.equal(loginAfter.state.password, loginBefore.state.password, "the password on the printed hand-out still works");
    const policy = String(one("aws:iam/userPolicy:UserPolicy").inputs.policy);
    const between = new Date(firstEnd.getTime() + 3_600_000);
    assert.ok(allows(policy, { action: "cloudwatch:GetMetricData", resource: "*", at: between }), "the extended hour");
    assert.ok(!allows(policy, { action: "cloudwatch:GetMetricData", resource: "*", at: later }));
  });

  it("destroy removes the user, its login profile and its policy", async () => {
    await ok(["destroy", "--yes"]);
    assert.deepEqual(
      sb.account().resources.filter((r) => r.type.startsWith("aws:iam/user")),
      [],
    );
  });
});
