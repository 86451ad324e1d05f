import { strict as assert } from "node:assert";
import { schedulerOwnTargetsPolicy } from "../../policy/rules/schedulerOwnTargets";
import { DISABLE_USER_TARGET } from "../../policy/rules/schedulerTargets";
import { check, flinkApp, stopSchedule, UNKNOWN, type FakeResource } from "./harness";

const pool: FakeResource = {
  type: "aws:cognito/userPool:UserPool",
  name: "pool",
  props: { name: "p" },
  outputs: { name: "p", id: "us-east-1_abc" },
};
const user: FakeResource = { type: "aws:cognito/user:User", name: "user", props: { userPoolId: "us-east-1_abc", username: "kdg-user" } };
const role: FakeResource = { type: "aws:iam/role:Role", name: "disable-role", props: { name: "d" } };
const disable = (input: string, deps?: string[]): FakeResource => ({
  ...stopSchedule("unused", { target: { arn: DISABLE_USER_TARGET, roleArn: "arn:aws:iam::123456789012:role/d", input } }, "disable"),
  ...(deps ? { propertyDependencies: { target: deps } } : {}),
});

describe("scheduler-own-targets", () => {
  it("passes StopApplication on this stack's application and AdminDisableUser on its pool and user", async () => {
    const found = await check(schedulerOwnTargetsPolicy, [
      flinkApp("lab-app"),
      stopSchedule("lab-app"),
      pool,
      user,
      role,
      disable(JSON.stringify({ UserPoolId: "us-east-1_abc", Username: "kdg-user" })),
    ]);
    assert.deepEqual(found, []);
  });
  it("knows its pool by ARN and endpoint, as the engine hands outputs to stack rules (without the id)", async () => {
    // Found on the real engine: an up refused the lab's own disable schedule, since outputs carry no `id`.
    const asEngine: FakeResource = {
      ...pool,
      outputs: {
        name: "p",
        arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
        endpoint: "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
      },
    };
    assert.deepEqual(
      await check(schedulerOwnTargetsPolicy, [
        asEngine,
        user,
        role,
        disable(JSON.stringify({ UserPoolId: "us-east-1_abc", Username: "kdg-user" })),
      ]),
      [],
    );
  });
  it("refuses stopping another stack's application", async () => {
    assert.deepEqual(await check(schedulerOwnTargetsPolicy, [flinkApp("lab-app"), stopSchedule("other-team-app")]), [
      "The schedule stops other-team-app, which is not this stack's Flink application.",
    ]);
  });
  it("refuses disabling a user of another pool, and an input with extra keys", async () => {
    const found = await check(schedulerOwnTargetsPolicy, [
      pool,
      user,
      disable(JSON.stringify({ UserPoolId: "us-east-1_zzz", Username: "kdg-user", Extra: 1 })),
    ]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[0]!, /unexpected Extra/);
    assert.match(found[1]!, /pool us-east-1_zzz, which is not this stack's user pool/);
  });
  describe("at a first preview (the pool's id unknown)", () => {
    const firstPool = { ...pool, outputs: { name: "p", id: UNKNOWN } };
    it("passes an unknown input built from this stack's pool, user and role", async () => {
      assert.deepEqual(
        await check(schedulerOwnTargetsPolicy, [firstPool, user, role, disable(UNKNOWN, ["pool", "user", "disable-role"])]),
        [],
      );
    });
    it("refuses an unknown input built from something else", async () => {
      const bucket: FakeResource = { type: "aws:s3/bucket:Bucket", name: "bucket", props: { bucket: "b" } };
      const found = await check(schedulerOwnTargetsPolicy, [firstPool, user, bucket, disable(UNKNOWN, ["bucket"])]);
      assert.deepEqual(found, [
        "The schedule's input is unknown at preview and not built from this stack's user pool.",
        "The schedule's input is built from aws:s3/bucket:Bucket; it may name only this stack's user pool.",
      ]);
    });
    it("refuses a known pool id, which cannot be this stack's new pool", async () => {
      const found = await check(schedulerOwnTargetsPolicy, [
        firstPool,
        user,
        disable(JSON.stringify({ UserPoolId: "us-east-1_abc", Username: "kdg-user" })),
      ]);
      assert.match(found.join(), /is not this stack's user pool/);
    });
  });
});
