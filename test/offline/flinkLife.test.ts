// Managed Flink's life in the fake account (offline/fakeAws/flinkLife.ts), on the application the
// real program declares: the service's rule that wedges an application on its own update (a
// snapshot that does not match the new job, restored with allowNonRestoredState off: issue #22
// item 3), and the statuses in which DeleteApplication and UpdateApplication answer
// ResourceInUseException (STARTING, STOPPING, UPDATING: item 4).

import { strict as assert } from "node:assert";
import { AwsRuleViolation, FakeAccount, FLINK_APPLICATION, type Locator, type RecordedResource } from "../../offline/fakeAws/core";
import { jobOf } from "../../offline/fakeAws/flinkLife";
import { runTeam, type TeamRun } from "../support";

const held = (r: RecordedResource): Locator => ({ type: r.type, id: r.id, stack: r.stack, name: r.name, state: r.state });

/**
 * The team's program runs once per file (0.26 CPU-seconds a run, issue 27 item 6); each test gets an
 * account of its own restored from the saved state (toJSON/fromJSON, as the real-engine plugin keeps
 * the account between engine runs), so no test sees another's changes.
 */
let program: Promise<{ run: TeamRun; saved: string }> | undefined;

/** One team's account with its application, and a clock the test moves. */
async function team() {
  program ??= runTeam({ team: "alpha" }).then((run) => ({ run, saved: JSON.stringify(run.account.toJSON()) }));
  const { run, saved } = await program;
  const account = FakeAccount.fromJSON(JSON.parse(saved) as ReturnType<FakeAccount["toJSON"]>);
  let now = Date.parse("2026-12-06T12:00:00Z");
  account.clock = () => now;
  const app = () => account.resources.find((r) => r.type === FLINK_APPLICATION)!;
  const name = String(app().state.name);
  // A second build of the job, uploaded beside the first (a rollout's new code).
  const jar = run.one("aws:s3/bucketObjectv2:BucketObjectv2", "analytics-jar");
  account.createResource({
    stack: jar.stack,
    type: jar.type,
    name: "other-jar",
    wireInputs: { ...jar.inputs, key: "code/other.jar" },
    ...(jar.region ? { providerRegion: jar.region } : {}),
  });
  /** The program's inputs with `change` applied to a copy (JSON-like, as the provider sends them). */
  const inputs = (change: (i: any) => void = () => {}) => {
    const copy = structuredClone(app().inputs) as any;
    change(copy);
    return copy as Record<string, unknown>;
  };
  const update = (change: (i: any) => void) => account.updateResource(held(app()), inputs(change));
  const del = () => account.deleteResource(held(app()));
  const status = () => account.applicationStatus(name);
  return { account, app, inputs, update, del, status, tick: (ms: number) => void (now += ms) };
}

const newCode = (i: any) =>
  (i.applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey = "code/other.jar");
const allowNonRestored = (value: boolean) => (i: any) =>
  (i.applicationConfiguration.runConfiguration.flinkRunConfiguration = { allowNonRestoredState: value });

describe("Managed Flink in the fake account: snapshots and the job they restore into (#22 item 3)", () => {
  it("keeps a running application running through a change of runtime properties only (same job)", async () => {
    const t = await team();
    assert.equal(t.status(), "RUNNING");
    const state = t.update((i) => (i.applicationConfiguration.environmentProperties.propertyGroups[0].propertyMap.x = "1"));
    assert.equal(state.status, "RUNNING");
    assert.equal(state.versionId, 2);
  });

  it("wedges the application when new code restores a snapshot of the old job with allowNonRestoredState off", async () => {
    const t = await team();
    t.update(allowNonRestored(false)); // the snapshot of the running job is taken on this update
    assert.throws(
      () => t.update((i) => (newCode(i), allowNonRestored(false)(i))),
      (e: Error) =>
        e instanceof AwsRuleViolation &&
        e.applied &&
        /the job did not start: its latest snapshot was written by another job .* allowNonRestoredState is false; the application stays UPDATING until an UpdateApplication with allowNonRestoredState true/.test(
          e.message,
        ) &&
        /Manage application backups using snapshots/.test(e.message),
    );
    assert.equal(t.status(), "UPDATING", "the service took the new configuration and the job failed to start");
    assert.equal(t.app().inputs.applicationConfiguration && jobOf(t.app().inputs), jobOf(t.inputs(newCode)));
    // Wedged: it does not settle with time, and it cannot be deleted.
    t.tick(3_600_000);
    assert.equal(t.status(), "UPDATING");
    assert.throws(
      () => t.del(),
      /is UPDATING: DeleteApplication answers ResourceInUseException .* it is wedged .* allowNonRestoredState true/,
    );
    // The documented way out: an update that allows non-restored state.
    assert.equal(t.update(allowNonRestored(true)).status, "RUNNING");
    t.del();
    assert.equal(t.status(), undefined);
  });

  it("never wedges on the program's own run configuration: new code, as the program declares it, restores (#22 item 2)", async () => {
    const t = await team();
    const key = (i: any) => i.applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation;
    const original = String(key(t.inputs()).fileKey);
    t.update(() => {}); // a snapshot of the running job
    assert.equal(t.update(newCode).status, "RUNNING", "a rollout of new code to a running application");
    t.account.setApplicationStatus(String(t.app().state.name), "READY"); // stopped at endsAt: snapshotted
    // extend's up of other code to a stopped application: the application stays stopped (below);
    // extend starts it itself, StartApplication with the same restore policy.
    assert.equal(t.update((i) => (key(i).fileKey = original)).status, "READY", "extend's up of other code to a stopped application");
  });

  it("restores new code when allowNonRestoredState is on, or when the restore is skipped", async () => {
    const on = await team();
    assert.equal(on.update((i) => (newCode(i), allowNonRestored(true)(i))).status, "RUNNING");
    const skip = await team();
    assert.equal(
      skip.update((i) => {
        newCode(i);
        allowNonRestored(false)(i);
        i.applicationConfiguration.runConfiguration.applicationRestoreConfiguration = {
          applicationRestoreType: "SKIP_RESTORE_FROM_SNAPSHOT",
        };
      }).status,
      "RUNNING",
    );
  });

  it("remembers the snapshot a stop took: new code started later with the flag off fails to start", async () => {
    const t = await team();
    t.account.setApplicationStatus(String(t.app().state.name), "STOPPING", { status: "READY", afterMs: 60_000 }); // the stop schedule at endsAt
    t.tick(60_000);
    assert.equal(t.status(), "READY");
    // An update alone leaves it stopped (issue 45687); startApplication turned off then on starts it.
    assert.equal(t.update((i) => (i.startApplication = false)).status, "READY");
    assert.throws(() => t.update((i) => ((i.startApplication = true), newCode(i), allowNonRestored(false)(i))), /stays STARTING/);
    assert.equal(t.status(), "STARTING");
  });

  it("needs a snapshot to mismatch: new code on an application without snapshots starts", async () => {
    const t = await team();
    t.update((i) => (i.applicationConfiguration.applicationSnapshotConfiguration.snapshotsEnabled = false));
    assert.equal(
      t.update((i) => {
        newCode(i);
        i.applicationConfiguration.applicationSnapshotConfiguration.snapshotsEnabled = false;
      }).status,
      "RUNNING",
    );
  });
});

describe("Managed Flink in the fake account: an update of a stopped application (terraform-provider-aws issue 45687)", () => {
  const threshold = (i: any) => (i.applicationConfiguration.environmentProperties.propertyGroups[0].propertyMap.x = "1");

  it("leaves a stopped (READY) application stopped when startApplication stays true: the update does not start it", async () => {
    const t = await team();
    assert.equal(t.inputs().startApplication, true, "the program starts its application");
    t.account.setApplicationStatus(String(t.app().state.name), "READY"); // cost --stop-over-cap, or the stop schedule
    const state = t.update(threshold);
    assert.equal(state.status, "READY");
    assert.equal(state.versionId, 2, "the service took the new configuration");
    t.tick(3_600_000);
    assert.equal(t.status(), "READY");
    // New code too: no job starts, so nothing restores and nothing wedges.
    assert.equal(t.update((i) => (newCode(i), allowNonRestored(false)(i))).status, "READY");
  });

  it("starts or stops the application when startApplication itself changes, as the provider does", async () => {
    const t = await team();
    assert.equal(t.update((i) => (i.startApplication = false)).status, "READY", "true to false: StopApplication");
    assert.equal(t.update((i) => (i.startApplication = true)).status, "RUNNING", "false to true: StartApplication");
  });

  it("keeps a running application running when startApplication stays false (started by hand)", async () => {
    const t = await team();
    t.update((i) => (i.startApplication = false));
    t.account.setApplicationStatus(String(t.app().state.name), "RUNNING");
    assert.equal(t.update((i) => ((i.startApplication = false), threshold(i))).status, "RUNNING");
  });
});

describe("Managed Flink in the fake account: calls refused near a state change (#22 item 4)", () => {
  for (const busy of ["STARTING", "STOPPING", "UPDATING"])
    it(`refuses DeleteApplication and UpdateApplication while ${busy}, then deletes once it settles`, async () => {
      const t = await team();
      t.account.setApplicationStatus(String(t.app().state.name), busy, {
        status: busy === "STOPPING" ? "READY" : "RUNNING",
        afterMs: 30_000,
      });
      assert.throws(
        () => t.del(),
        new RegExp(`is ${busy}: DeleteApplication answers ResourceInUseException .*wait until it is READY or RUNNING`),
      );
      assert.throws(() => t.update(() => {}), new RegExp(`is ${busy}: UpdateApplication answers ResourceInUseException`));
      assert.equal(t.status(), busy, "a refused call changes nothing");
      t.tick(30_000);
      t.del();
      assert.equal(t.status(), undefined);
    });
});
