import { strict as assert } from "node:assert";
import { FLINK_APPLICATION, FakeAccount } from "../../offline/fakeAws/core";
import { configHash, Orchestrator, type TeamProgress } from "../../workshop/orchestrator";
import { memoryState } from "../../workshop/state";
import type { StackSpec } from "../../workshop/workspace";
import { MemoryTags, MemoryWorkspace } from "../../workshop/memoryWorkspace";

const spec = (team: string): StackSpec => ({
  team,
  stack: `ev-${team}`,
  config: { "clickstream-lab:team": { value: team }, "clickstream-lab:notificationEmail": { value: `${team}@example.com` } },
});
const teams = (n: number) => Array.from({ length: n }, (_, i) => spec(`t${i + 1}`));
const event = (specs: StackSpec[]) => ({ specs, endsAt: "2026-11-28T18:00:00.000Z" });
const fast = { startingDelayMs: 1 };

describe("workshop orchestrator (fake workspace)", () => {
  it("installs plugins once, before any worker, and never runs more than N at once", async () => {
    const ws = new MemoryWorkspace(8);
    const results = await new Orchestrator(ws, memoryState()).provision(event(teams(20)), { concurrency: 3, ...fast });
    assert.equal(ws.pluginInstalls, 1);
    assert.equal(ws.calls[0], "installPlugins");
    assert.equal(ws.maxInFlight, 3);
    assert.deepEqual(
      results.map((r) => r.state),
      Array(20).fill("up"),
    );
  });

  it("keeps one team's failure to that team", async () => {
    const ws = new MemoryWorkspace();
    ws.failures.set("ev-t2", [new Error("error: creating Kinesis Stream: AccessDeniedException")]);
    const state = memoryState();
    const results = await new Orchestrator(ws, state).provision(event(teams(4)), { concurrency: 2, ...fast });
    assert.deepEqual(
      results.map((r) => [r.team, r.state]),
      [
        ["t1", "up"],
        ["t2", "failed"],
        ["t3", "up"],
        ["t4", "up"],
      ],
    );
    assert.equal(results[1]!.attempts, 1, "a permanent error is not retried");
    assert.match(state.get("t2")!.error!, /AccessDeniedException/);
  });

  it("previews each team with the pack first, and refuses a team with a mandatory violation before its up", async () => {
    const ws = new MemoryWorkspace();
    ws.violations.set("ev-t2", [
      {
        policy: "lab-region",
        message: "aws:kinesis/stream:Stream is in eu-west-1",
        urn: "urn:pulumi:ev-t2::p::aws:kinesis/stream:Stream::ingest-stream",
      },
    ]);
    const state = memoryState();
    const results = await new Orchestrator(ws, state).provision(event(teams(3)), { concurrency: 3, ...fast });
    assert.deepEqual(
      results.map((r) => [r.team, r.state]),
      [
        ["t1", "up"],
        ["t2", "refused"],
        ["t3", "up"],
      ],
    );
    assert.ok(!ws.calls.includes("up ev-t2"), "no up for the refused team");
    assert.ok(ws.calls.indexOf("preview ev-t1") < ws.calls.indexOf("up ev-t1"), "preview comes before up");
    assert.match(results[1]!.error!, /lab-region: aws:kinesis\/stream:Stream is in eu-west-1 \(ingest-stream\)/);
    assert.equal(state.get("t2")!.status, "failed", "a refused team is provisioned again on the next run");
  });

  it("retries transient failures with back-off, and stops after the last attempt", async () => {
    const ws = new MemoryWorkspace();
    ws.failures.set("ev-t1", [
      new Error("conflict: Another update is currently in progress."),
      new Error("ThrottlingException: Rate exceeded"),
    ]);
    ws.failures.set(
      "ev-t2",
      Array.from({ length: 10 }, () => new Error("ThrottlingException: Rate exceeded")),
    );
    const states: TeamProgress[] = [];
    const results = await new Orchestrator(ws, memoryState()).provision(event(teams(2)), {
      concurrency: 2,
      attempts: 3,
      onProgress: (p) => states.push(p),
      ...fast,
    });
    assert.deepEqual(
      results.map((r) => [r.state, r.attempts]),
      [
        ["up", 3],
        ["failed", 3],
      ],
    );
    assert.ok(states.some((s) => s.team === "t1" && s.state === "retrying"));
    assert.equal(ws.calls.filter((c) => c === "up ev-t2").length, 3);
  });

  it("resumes: a second run skips teams already up with the same config, redoes failed and changed ones", async () => {
    const ws = new MemoryWorkspace();
    const state = memoryState();
    ws.failures.set("ev-t3", [new Error("error: boom")]);
    await new Orchestrator(ws, state).provision(event(teams(3)), { concurrency: 3, ...fast });
    const changed = teams(3).map((s) =>
      s.team === "t2" ? { ...s, config: { ...s.config, "clickstream-lab:notificationPhone": { value: "+15555550100" } } } : s,
    );
    ws.calls.length = 0;
    const again = await new Orchestrator(ws, state).provision(event(changed), { concurrency: 3, ...fast });
    assert.deepEqual(
      again.map((r) => [r.team, r.state]),
      [
        ["t1", "skipped"],
        ["t2", "up"],
        ["t3", "up"],
      ],
    );
    assert.deepEqual(ws.calls.filter((c) => c.startsWith("up")).sort(), ["up ev-t2", "up ev-t3"]);
  });

  it("does not skip a team whose stack disappeared behind its back", async () => {
    const ws = new MemoryWorkspace();
    const state = memoryState();
    await new Orchestrator(ws, state).provision(event(teams(1)), { concurrency: 1, ...fast });
    ws.stacks.clear();
    const again = await new Orchestrator(ws, state).provision(event(teams(1)), { concurrency: 1, ...fast });
    assert.equal(again[0]!.state, "up");
  });

  it("destroys, removes the stack, and reports what is still tagged with the team", async () => {
    const ws = new MemoryWorkspace();
    const state = memoryState();
    const o = new Orchestrator(ws, state, new MemoryTags({ t2: ["arn:aws:s3:::ev-t2-raw-123456789012"] }));
    await o.provision(event(teams(2)), { concurrency: 2, ...fast });
    const results = await o.destroy(
      teams(2).map((s) => ({ team: s.team, stack: s.stack, event: "ev" })),
      { concurrency: 2, ...fast },
    );
    assert.deepEqual(
      results.map((r) => [r.team, r.state, r.leftovers]),
      [
        ["t1", "destroyed", []],
        ["t2", "destroyed", ["arn:aws:s3:::ev-t2-raw-123456789012"]],
      ],
    );
    assert.equal(ws.stacks.size, 0);
    assert.equal(state.get("t1")!.status, "destroyed");
  });

  it("waits out an application busy changing state (ResourceInUseException) past the transient attempts, then destroys", async () => {
    const ws = new MemoryWorkspace();
    const state = memoryState();
    const o = new Orchestrator(ws, state);
    await o.provision(event(teams(2)), { concurrency: 2, ...fast });
    // As the provider reports AWS's answer to DeleteApplication while the stop schedule stops the application.
    const busy = () =>
      new Error(
        "error: deleting urn:pulumi:ev-t1::clickstream-lab::aws:kinesisanalyticsv2/application:Application::analytics-app: ResourceInUseException: Application ev-t1-anomaly-detection is in STOPPING status",
      );
    ws.failures.set("ev-t1", [busy(), busy(), busy(), busy(), busy()]);
    const states: TeamProgress[] = [];
    const lines: string[] = [];
    const results = await o.destroy(
      teams(2).map((s) => ({ team: s.team, stack: s.stack, event: "ev" })),
      {
        concurrency: 2,
        attempts: 2,
        busyWaitMs: 60_000,
        maxDelayMs: 5,
        onProgress: (p) => states.push(p),
        log: (_t, l) => lines.push(l),
        ...fast,
      },
    );
    assert.deepEqual(
      results.map((r) => [r.team, r.state, r.attempts]),
      [
        ["t1", "destroyed", 6],
        ["t2", "destroyed", 1],
      ],
    );
    assert.ok(
      states.some(
        (p) =>
          p.team === "t1" && p.state === "retrying" && /waiting for a resource to finish changing state: .*STOPPING/.test(p.message ?? ""),
      ),
      "the progress line says why the team waits",
    );
    assert.ok(lines.some((l) => /ResourceInUseException/.test(l)));
    assert.equal(state.get("t1")!.status, "destroyed");
  });

  it("gives up on a resource still busy after busyWaitMs and names it; the other teams go on", async () => {
    const ws = new MemoryWorkspace();
    const o = new Orchestrator(ws, memoryState());
    await o.provision(event(teams(2)), { concurrency: 2, ...fast });
    ws.failures.set(
      "ev-t1",
      Array.from({ length: 1000 }, () => new Error("ResourceInUseException: Application ev-t1-anomaly-detection is in UPDATING status")),
    );
    const results = await o.destroy(
      teams(2).map((s) => ({ team: s.team, stack: s.stack, event: "ev" })),
      { concurrency: 2, busyWaitMs: 30, maxDelayMs: 5, ...fast },
    );
    assert.equal(results[0]!.state, "failed");
    assert.match(results[0]!.error!, /ResourceInUseException: .* UPDATING/);
    assert.ok(results[0]!.attempts > 1 && results[0]!.attempts < 1000);
    assert.equal(results[1]!.state, "destroyed");
  });

  it("destroys a team whose application the fake account holds STOPPING, once the stop has ended", async () => {
    // The fake account's own rule (offline/fakeAws/flinkLife.ts) behind the workspace's destroy.
    const account = new FakeAccount();
    const app = {
      type: FLINK_APPLICATION,
      id: "arn:aws:kinesisanalytics:us-east-1:123456789012:application/ev-t1-app",
      stack: "ev-t1",
      name: "app",
    };
    account.resources.push({ ...app, inputs: {}, state: { name: "ev-t1-app", arn: app.id }, secretInputs: [], region: "us-east-1" });
    account.setApplicationStatus("ev-t1-app", "STOPPING", { status: "READY", afterMs: 150 });
    class AccountWorkspace extends MemoryWorkspace {
      override async destroy(stack: string, progress: (d: number, t: number) => void, log: (line: string) => void) {
        account.deleteResource({ ...app, state: { name: "ev-t1-app", arn: app.id }, region: "us-east-1" });
        return super.destroy(stack, progress, log);
      }
    }
    const ws = new AccountWorkspace(1);
    const o = new Orchestrator(ws, memoryState());
    await o.provision(event(teams(1)), { concurrency: 1, ...fast });
    const [r] = await o.destroy([{ team: "t1", stack: "ev-t1", event: "ev" }], { concurrency: 1, startingDelayMs: 20, maxDelayMs: 40 });
    assert.equal(r!.state, "destroyed", r!.error);
    assert.ok(r!.attempts > 1, "the first delete was refused while STOPPING");
    assert.equal(account.applicationStatus("ev-t1-app"), undefined);
  });

  it("hashes config so that any change of value means an update", () => {
    assert.notEqual(
      configHash(spec("a")),
      configHash({ ...spec("a"), config: { ...spec("a").config, "clickstream-lab:team": { value: "b" } } }),
    );
    assert.equal(configHash(spec("a")), configHash(spec("a")));
  });

  it("refuses a concurrency below 1", async () => {
    await assert.rejects(
      new Orchestrator(new MemoryWorkspace(), memoryState()).provision(event(teams(1)), { concurrency: 0 }),
      /concurrency must be a whole number of at least 1/,
    );
  });
});
