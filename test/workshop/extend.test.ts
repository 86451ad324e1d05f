// `extend --until` refuses bad input before anything changes: no stack is updated, no AWS client is
// even made, the state file is untouched. (What a valid extend does, on moto and a stand-in Flink
// API: extend.integration.test.ts.)

import { strict as assert } from "node:assert";
import { checkExtension, extend, ExtendError, userPoolIdOf, type ExtendOptions } from "../../workshop/extend";
import { Orchestrator } from "../../workshop/orchestrator";
import { memoryState, type StateStore } from "../../workshop/state";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";

const PROJECT = "clickstream-lab";
const NOW = new Date("2026-11-28T12:00:00Z");
const END = "2026-11-28T18:00:00Z";

async function event(teams: string[]): Promise<{ ws: MemoryWorkspace; state: StateStore }> {
  const ws = new MemoryWorkspace(1);
  const state = memoryState();
  const specs = teams.map((team) => ({
    team,
    stack: `ev-${team}`,
    config: Object.fromEntries(
      Object.entries({ event: "ev", team, notificationEmail: `${team}@example.com`, endsAt: END }).map(([k, v]) => [
        `${PROJECT}:${k}`,
        { value: v },
      ]),
    ),
  }));
  await new Orchestrator(ws, state).provision({ specs, endsAt: END }, { concurrency: 2, startingDelayMs: 1 });
  ws.calls.length = 0;
  return { ws, state };
}

const options = (until: string): ExtendOptions => ({
  until,
  project: PROJECT,
  now: NOW,
  concurrency: 2,
  clients: () => {
    throw new Error("no AWS call may happen when --until is refused");
  },
});

/** Runs extend and returns its refusal's lines; fails if it was not refused or if anything changed. */
async function refusal(until: string, teams = ["t1", "t2"], prepare?: (s: StateStore) => void): Promise<string[]> {
  const { ws, state } = await event(["t1", "t2"]);
  prepare?.(state);
  const before = JSON.stringify(state.all());
  let problems: readonly string[] = [];
  await assert.rejects(extend(teams, ws, state, options(until)), (e: unknown) => {
    assert.ok(e instanceof ExtendError, String(e));
    assert.match(e.message, /^extend refused; nothing was changed:\n {2}- /);
    problems = e.problems;
    return true;
  });
  assert.deepEqual(
    ws.calls.filter((c) => !c.startsWith("config ")),
    [],
    "only the stacks' config was read",
  );
  assert.equal(JSON.stringify(state.all()), before, "the state file is untouched");
  for (const t of ["t1", "t2"]) assert.equal(ws.stacks.get(`ev-${t}`)!.config[`${PROJECT}:endsAt`]!.value, END);
  return [...problems];
}

describe("workshop extend: --until is checked first", () => {
  it("refuses a word, once for all teams", async () => {
    assert.deepEqual(await refusal("tomorrow"), [
      '--until "tomorrow" is not an ISO 8601 date and time with a time zone on a real calendar day.',
    ]);
  });

  it("refuses a time without a zone", async () => {
    assert.deepEqual(await refusal("2026-11-28T20:00:00"), [
      '--until "2026-11-28T20:00:00" is not an ISO 8601 date and time with a time zone on a real calendar day.',
    ]);
  });

  it("refuses 30 February, which JavaScript's Date would read as 2 March", async () => {
    assert.deepEqual(await refusal("2026-02-30T10:00:00Z"), [
      '--until "2026-02-30T10:00:00Z" is not an ISO 8601 date and time with a time zone on a real calendar day.',
    ]);
    assert.deepEqual(await refusal("2026-11-28T24:30:00Z"), [
      '--until "2026-11-28T24:30:00Z" is not an ISO 8601 date and time with a time zone on a real calendar day.',
    ]);
  });

  it("refuses a time in the past", async () => {
    assert.deepEqual(await refusal("2026-11-28T11:00:00Z"), ["--until 2026-11-28T11:00:00Z is in the past: the event is over."]);
  });

  it("refuses an end further ahead than the policy pack lets an event last (14 days)", async () => {
    assert.deepEqual(await refusal("2026-12-13T12:00:01Z"), [
      "--until 2026-12-13T12:00:01Z is more than 14 days ahead; an event lasts at most 14 days.",
    ]);
  });

  it("refuses an end before a team's current one: extend does not shorten", async () => {
    assert.deepEqual(await refusal("2026-11-28T17:00:00+00:00"), [
      "--until 2026-11-28T17:00:00+00:00 is before team t1's current end 2026-11-28T18:00:00Z: extend only moves the end later (destroy ends an event early)",
      "--until 2026-11-28T17:00:00+00:00 is before team t2's current end 2026-11-28T18:00:00Z: extend only moves the end later (destroy ends an event early)",
    ]);
  });

  it("refuses an unknown team and a destroyed one, naming both", async () => {
    const problems = await refusal("2026-11-29T12:00:00Z", ["t1", "t9", "t2"], (s) =>
      s.set("t2", { ...s.get("t2")!, status: "destroyed" }),
    );
    assert.deepEqual(problems, [
      "team t9 is not in the state file (known: t1, t2)",
      "team t2's stack is destroyed: extend brings back a stack that is up; run provision for it",
    ]);
  });

  it("accepts the same end again (to finish a team that failed half-way) and a later one in another zone", async () => {
    const { ws, state } = await event(["t1"]);
    assert.deepEqual(
      (await checkExtension(["t1"], ws, state, { until: END, project: PROJECT, now: NOW })).map((c) => c.from),
      [END],
    );
    assert.equal((await checkExtension(["t1"], ws, state, { until: "2026-11-28T20:00:00+01:00", project: PROJECT, now: NOW })).length, 1);
  });

  it("reads the user pool id from the KDG URL the stack exports", () => {
    assert.equal(
      userPoolIdOf(
        "https://awslabs.github.io/amazon-kinesis-data-generator/web/producer.html?upid=us-east-1_AbC&ipid=us-east-1:x&cid=c&r=us-east-1",
      ),
      "us-east-1_AbC",
    );
    assert.throws(() => userPoolIdOf("https://kdg/t1"), /has no upid/);
  });
});
