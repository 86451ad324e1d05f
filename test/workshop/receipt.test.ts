import { strict as assert } from "node:assert";
import { Orchestrator } from "../../workshop/orchestrator";
import { formatReceipt, receiptOf } from "../../workshop/receipt";
import { memoryState } from "../../workshop/state";
import type { StackSpec } from "../../workshop/workspace";
import { runTeam } from "../support";
import { MemoryTags, MemoryWorkspace } from "../../workshop/memoryWorkspace";

const spec = (team: string): StackSpec => ({ team, stack: `ev-${team}`, config: { "clickstream-lab:team": { value: team } } });
const AT = new Date("2026-11-29T09:00:00Z");

/** An event of `teams` whose stacks hold what the real program creates for a team (offline plan). */
async function destroyed(teams: string[], tags: MemoryTags | undefined, prepare?: (ws: MemoryWorkspace) => void) {
  const ws = new MemoryWorkspace(1);
  const counts: Record<string, number> = {};
  for (const r of (await runTeam()).resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  ws.inventory = counts;
  const state = memoryState();
  await new Orchestrator(ws, state).provision(
    { specs: teams.map(spec), endsAt: "2026-11-28T18:00:00Z" },
    { concurrency: 2, startingDelayMs: 1 },
  );
  prepare?.(ws);
  const results = await new Orchestrator(ws, state, tags).destroy(
    teams.map((team) => ({ team, stack: `ev-${team}`, event: "ev" })),
    { concurrency: 2, startingDelayMs: 1, attempts: 1 },
  );
  return { counts, receipt: receiptOf(results, "ev", AT) };
}

describe("destroy receipt", () => {
  it("lists per team what was deleted, by type, and that the tagging API finds nothing left", async () => {
    const { counts, receipt } = await destroyed(["t1", "t2"], new MemoryTags());
    const cloud = Object.entries(counts).filter(([t]) => !t.startsWith("pulumi:"));
    const total = cloud.reduce((s, [, n]) => s + n, 0);
    assert.ok(total > 40, `the lab's stack has ${total} cloud resources`);
    assert.equal(receipt.clean, true);
    assert.deepEqual(receipt.teams[0]!.deleted, Object.fromEntries(cloud.sort(([a], [b]) => a.localeCompare(b))));
    assert.equal(receipt.teams[0]!.deleted["aws:scheduler/schedule:Schedule"], 2);
    assert.equal(receipt.teams[0]!.deleted["pulumi:providers:aws"], undefined, "providers are Pulumi's, not AWS resources");
    const text = formatReceipt(receipt);
    assert.match(text, /^Receipt: event ev, 2 team\(s\), 2026-11-29T09:00:00.000Z\n/);
    assert.match(
      text,
      new RegExp(
        `  t1: deleted ${total} resource\\(s\\)\\n(      +\\d+  aws:[^\\n]+\\n|      +\\d+  random:[^\\n]+\\n)+    tagging API: nothing left tagged event=ev team=t1\\n`,
      ),
    );
    assert.match(text, /\s+2 {2}aws:kinesis\/stream:Stream\n/);
    assert.match(
      text,
      new RegExp(
        `All clear: 2 team\\(s\\) destroyed, ${2 * total} resource\\(s\\) deleted, nothing left tagged with the event's teams\\.\\n$`,
      ),
    );
  });

  it("is not clear when the tagging API still finds something, or a team was not destroyed", async () => {
    const { receipt } = await destroyed(
      ["t1", "t2"],
      new MemoryTags({ t1: ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/ev-t1-alert"] }),
      (ws) => ws.failures.set("ev-t2", [new Error("error: deleting S3 Bucket: BucketNotEmpty")]),
    );
    assert.equal(receipt.clean, false);
    const text = formatReceipt(receipt);
    assert.match(
      text,
      /tagging API: 1 LEFT tagged event=ev team=t1 \(delete them by hand\):\n {6}arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/ev-t1-alert\n/,
    );
    assert.match(text, /t2: NOT DESTROYED: error: deleting S3 Bucket: BucketNotEmpty; its resources still bill/);
    assert.match(text, /NOT CLEAR: 1 team\(s\) not destroyed, 1 with leftovers, 0 not checked\.\n$/);
  });

  it("does not claim nothing is left when the tagging API was not asked", async () => {
    const { receipt } = await destroyed(["t1"], undefined);
    assert.equal(receipt.clean, false);
    assert.match(
      formatReceipt(receipt),
      /tagging API: not asked, so nothing is proven about leftovers[\s\S]*NOT CLEAR: 0 team\(s\) not destroyed, 0 with leftovers, 1 not checked\./,
    );
  });
});
