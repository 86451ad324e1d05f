import { strict as assert } from "node:assert";
import { kdgRecord, profile, schedule } from "../../traffic/profiles";

const count = (records: { data: string }[], action: string) => records.filter((r) => (JSON.parse(r.data) as { browseraction: string }).browseraction === action).length;

describe("traffic profiles", () => {
  it("sends the KDG templates' records, one JSON object per record", () => {
    assert.equal(kdgRecord("Click"), '{"browseraction":"Click","site":"yourwebsiteurl.domain.com"}');
    assert.equal(kdgRecord("DiscoveryKinesisTest"), '{"browseraction":"DiscoveryKinesisTest","site":"yourwebsiteurl.domain.com"}');
  });

  it("plays the lab's script: two steady windows, then three click windows for 20 s", () => {
    const records = schedule(profile("lab", { steadySeconds: 600, afterBurstSeconds: 60 }));
    assert.equal(count(records, "Impression"), 660);
    assert.equal(count(records, "Click"), 660 + 3 * 20);
    const burst = records.filter((r) => r.producer.startsWith("burst-"));
    assert.ok(burst.every((r) => r.atMs >= 600_000 - 150 && r.atMs < 620_000 + 150));
    assert.deepEqual([...new Set(burst.map((r) => r.producer))].sort(), ["burst-1", "burst-2", "burst-3"]);
  });

  it("keeps each producer's records in order despite jitter, and jitters for real", () => {
    const records = schedule(profile("steady", { steadySeconds: 120, rate: 5 }), { jitterMs: 500 });
    const clicks = records.filter((r) => r.producer === "clicks");
    assert.deepEqual(clicks.map((r) => r.seq), [...clicks.keys()]);
    const offsets = clicks.map((r) => r.atMs - r.seq * 200);
    assert.ok(Math.max(...offsets) - Math.min(...offsets) > 50, "send times are not on an exact grid");
    assert.ok(offsets.every((o) => Math.abs(o) < 100), "jitter stays under half a period");
  });

  it("repeats with the same seed and differs with another", () => {
    const a = schedule(profile("steady", { steadySeconds: 10 }), { seed: 1 }).map((r) => r.atMs);
    assert.deepEqual(schedule(profile("steady", { steadySeconds: 10 }), { seed: 1 }).map((r) => r.atMs), a);
    assert.notDeepEqual(schedule(profile("steady", { steadySeconds: 10 }), { seed: 2 }).map((r) => r.atMs), a);
  });

  it("compresses time without changing what is sent", () => {
    const real = schedule(profile("lab", { steadySeconds: 60 }), { seed: 7 });
    const fast = schedule(profile("lab", { steadySeconds: 60 }), { seed: 7, compression: 10 });
    assert.equal(fast.length, real.length);
    assert.ok(Math.abs(fast[fast.length - 1]!.atMs * 10 - real[real.length - 1]!.atMs) < 1e-6);
  });

  it("refuses nonsense options, naming them", () => {
    assert.throws(() => profile("steady", { rate: 0 }), /rate must be a number above 0/);
    assert.throws(() => profile("lab", { burstSeconds: -1 }), /burstSeconds/);
    assert.throws(() => schedule(profile("burst"), { compression: 0 }), /compression must be above 0/);
  });
});
