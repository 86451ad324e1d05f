// The rename of CostGuard to EventEnd on the real engine (built from source, scripts/setup-engine.sh)
// against the fake AWS account: a stack deployed with the former component keeps its stop
// schedule, role and policy when the current program runs (aliases), and only gains the
// disable-user schedule and its role.

import { strict as assert } from "node:assert";
import { createSandbox, type EngineSandbox } from "../../offline/engine/sandbox";
import { initStack, pulumiOk } from "../support/engine";

type Step = { op: string; urn: string; oldState?: { urn: string; inputs: unknown }; newState?: { urn: string; inputs: unknown } };

describe("event end on the real engine: CostGuard's resources kept after the rename", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  const endsAt = new Date(Date.now() + 4 * 3_600_000).toISOString();
  const pulumi = (shape: string, args: string[]) => pulumiOk(sb, args, { env: { LAB_SHAPE: shape, LAB_ENDS_AT: endsAt } });

  before(async () => {
    sb = createSandbox({ main: "test/engine/eventEndAliases.ts" });
    // Pulumi.yaml's schema requires these of every stack; this program reads none of them.
    await initStack(sb, "aliases", [
      ["team", "t1"],
      ["notificationEmail", "t1@example.com"],
      ["endsAt", endsAt],
    ]);
  });
  after(() => sb?.dispose());

  it("plans no replacement, no deletion and no re-creation of the former stop schedule, role and policy", async () => {
    await pulumi("former", ["up", "--yes"]);
    const scheduleBefore = sb.account().resources.find((r) => r.type === "aws:scheduler/schedule:Schedule")!;
    assert.equal(scheduleBefore.state.name, "ev-t1-stop-flink");

    const steps = (JSON.parse(await pulumi("current", ["preview", "--json", "--show-sames"])) as { steps: Step[] }).steps;
    const name = (s: Step) => s.urn.split("::").pop()!;
    // Nothing of the former component is created again, replaced or deleted: the aliases moved it.
    assert.deepEqual(
      steps
        .filter((s) => !["same", "update"].includes(s.op))
        .map((s) => `${s.op} ${name(s)}`)
        .sort(),
      [
        "create event-end-disable-kdg-user-role",
        "create event-end-disable-kdg-user-role-policy",
        "create event-end-disable-kdg-user-schedule",
      ],
    );
    const moved = Object.fromEntries(
      steps.filter((s) => s.oldState && s.newState && s.oldState.urn !== s.newState.urn).map((s) => [name(s), s]),
    );
    // The role and its policy ask for exactly what they had: the engine plans them "same" (listed
    // only with --show-sames) or, were anything to differ, an update.
    const byName = Object.fromEntries(steps.map((s) => [name(s), s]));
    for (const r of ["event-end-stop-flink-role", "event-end-stop-flink-role-policy"]) {
      assert.ok(["same", "update"].includes(byName[r]?.op ?? ""), `${r}: ${byName[r]?.op}`);
      if (moved[r]) assert.deepEqual(moved[r].newState!.inputs, moved[r].oldState!.inputs, r);
    }
    assert.ok(moved["event-end-stop-flink-schedule"], "the stop schedule moves from CostGuard to EventEnd");
    assert.equal(
      moved["event-end-stop-flink-schedule"].oldState!.urn,
      "urn:pulumi:aliases::clickstream-lab::clickstream:lab:CostGuard$aws:scheduler/schedule:Schedule::cost-guard-schedule",
    );
    // The schedule adds only state ENABLED (Scheduler's default: no change in AWS).
    const { state, target: newTarget, ...newRest } = moved["event-end-stop-flink-schedule"].newState!.inputs as Record<string, unknown>;
    const { target: oldTarget, ...oldRest } = moved["event-end-stop-flink-schedule"].oldState!.inputs as Record<string, unknown>;
    assert.equal(state, "ENABLED");
    assert.deepEqual(newRest, oldRest);
    assert.deepEqual({ ...(newTarget as object), roleArn: "" }, { ...(oldTarget as object), roleArn: "" });

    await pulumi("current", ["up", "--yes"]);
    const schedules = sb.account().resources.filter((r) => r.type === "aws:scheduler/schedule:Schedule");
    assert.deepEqual(schedules.map((s) => s.state.name).sort(), ["ev-t1-disable-kdg-user", "ev-t1-stop-flink"]);
    assert.equal(schedules.find((s) => s.state.name === "ev-t1-stop-flink")!.id, scheduleBefore.id, "the same schedule, updated in place");
  });
});
