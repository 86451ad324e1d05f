// The instructor CLI's default concurrency and its estimate of the time left (issue 24), from the
// measured cost per team and AWS's own create and update times (workshop/capacity.ts).

import { strict as assert } from "node:assert";
import {
  AWS_SECONDS,
  concurrencyWarning,
  defaultConcurrency,
  estimate,
  etaTracker,
  formatDuration,
  MAX_DEFAULT_CONCURRENCY,
  RESERVED_MB,
  type TeamCost,
} from "../../workshop/capacity";

const cost: TeamCost = { peakMb: 1000, cpuSeconds: 10, engineSeconds: 20 };

describe("the instructor CLI's capacity model", () => {
  it("takes as many teams as free memory holds, and says so", () => {
    const c = defaultConcurrency({ freeMb: RESERVED_MB + 3500, totalMb: 16384, cores: 8 }, cost, 300);
    assert.equal(c.concurrency, 3);
    assert.equal(c.limitedBy, "memory");
    assert.match(c.reason, /memory: 4\.4 GB free, 1\.0 GB kept back, ~1\.0 GB per team/);
  });

  it("takes fewer when the cores cannot keep up, counting that a team mostly waits for AWS", () => {
    // 10 CPU-s over 20 + 300 s: each team keeps ~0.03 of a core busy; with 0 s of AWS, half a core.
    assert.equal(defaultConcurrency({ freeMb: 64_000, totalMb: 64_000, cores: 2 }, cost, 300).limitedBy, "cap");
    const c = defaultConcurrency({ freeMb: 64_000, totalMb: 64_000, cores: 2 }, cost, 0);
    assert.equal(c.concurrency, 4);
    assert.equal(c.limitedBy, "cpu");
    assert.match(c.reason, /2 core\(s\), each team keeps ~0\.50 of a core busy/);
  });

  it("never goes below 1 or above the cap", () => {
    assert.equal(defaultConcurrency({ freeMb: 100, totalMb: 4096, cores: 1 }, cost).concurrency, 1);
    assert.equal(defaultConcurrency({ freeMb: 1_000_000, totalMb: 1_000_000, cores: 64 }, cost).concurrency, MAX_DEFAULT_CONCURRENCY);
  });

  it("warns when the instructor's own number needs more memory than is free", () => {
    const machine = { freeMb: RESERVED_MB + 4000, totalMb: 16384, cores: 8 };
    assert.equal(concurrencyWarning(4, machine, cost), undefined);
    assert.match(concurrencyWarning(10, machine, cost) ?? "", /--concurrency 10 needs ~10\.8 GB .* about 4 fit/);
  });

  it("estimates rounds of engine time plus AWS's create time, typical and bound", () => {
    const e = estimate({ teams: 10, concurrency: 4, kind: "create", cores: 64 }, cost);
    assert.equal(e.seconds, 3 * (20 + AWS_SECONDS.create.typical));
    assert.equal(e.boundSeconds, 3 * (20 + AWS_SECONDS.create.bound));
    assert.match(e.basis, /3 round\(s\) of 4 × \(engine ~20 s \+ AWS create ~5 min, at most 10/);
    // On 1 core, 4 teams want 4 × 10 / 20 = 2 cores: the engine's part doubles.
    assert.equal(estimate({ teams: 4, concurrency: 4, kind: "update", cores: 1 }, cost).seconds, 40 + AWS_SECONDS.update.typical);
  });

  it("follows the run: the model first, then the mean of the teams that did work; skipped teams take none", () => {
    const eta = etaTracker({ teams: 4, concurrency: 2, kind: "create", cores: 64 }, cost);
    assert.equal(eta.update({ team: "a", state: "running", elapsedMs: 1000 }), undefined);
    assert.equal(
      eta.update({ team: "a", state: "skipped", elapsedMs: 0 }),
      `3 team(s) left: ~${formatDuration(2 * (20 + 300))} (at most ${formatDuration(2 * (20 + 600))})`,
    );
    assert.match(eta.update({ team: "b", state: "up", elapsedMs: 120_000 }) ?? "", /^2 team\(s\) left: ~2 min/);
    assert.equal(eta.update({ team: "b", state: "up", elapsedMs: 120_000 }), undefined, "a team counts once");
    eta.update({ team: "c", state: "failed", elapsedMs: 60_000 });
    assert.equal(eta.update({ team: "d", state: "up", elapsedMs: 60_000 }), "all teams done");
  });

  it("prints durations in seconds, minutes, or hours and minutes", () => {
    assert.deepEqual([40, 90, 3900].map(formatDuration), ["40 s", "2 min", "1 h 05 min"]);
  });
});
