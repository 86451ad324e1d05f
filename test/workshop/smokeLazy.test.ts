// A long --steady-seconds plays lazily (issue #26, kind 3): the smoke run starts sending and finds
// its evidence without building the schedule of the whole run (10^9 lab seconds: 2 * 10^9 records,
// far more than the heap holds). The team's clients are two small in-process stand-ins.

import { strict as assert } from "node:assert";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import { MAX_EAGER_RECORDS, profile, schedule } from "../../traffic/profiles";
import { smokeTeam } from "../../workshop/smoke";
import type { TeamClients, TeamTarget } from "../../workshop/teamAws";

describe("workshop smoke with a huge --steady-seconds", function () {
  this.timeout(60_000);

  it("sends and finds the alert without building the whole run in memory", async () => {
    let puts = 0;
    const kinesis = {
      send: (c: { input: { Records: unknown[] } }) => (
        puts++,
        Promise.resolve({ FailedRecordCount: 0, Records: c.input.Records.map(() => ({})) })
      ),
    } as unknown as KinesisClient;
    const s3 = {
      send: () =>
        Promise.resolve(
          puts > 0 ? { Contents: [{ Key: "weblogs/processed/2026/12/06/w.csv", LastModified: new Date(Date.now() + 1000) }] } : {},
        ),
    } as unknown as S3Client;
    const clients = { kinesis, s3, close: () => undefined } as unknown as TeamClients;
    const team = { team: "t1", ingestStreamName: "s", processedBucket: "b" } as unknown as TeamTarget;
    const before = process.memoryUsage().heapUsed;
    const r = await smokeTeam(team, clients, { compression: 5, steadySeconds: 1e9, timeoutMs: 30_000, pollMs: 50, concurrency: 1 });
    assert.equal(r.verdict, "alerted", JSON.stringify(r));
    assert.ok(process.memoryUsage().heapUsed - before < 200 * 1024 * 1024, "no schedule of the whole run");
  });

  it("the array form refuses a run that large, naming lazySchedule, before building anything", () => {
    assert.throws(
      () => schedule(profile("lab", { steadySeconds: 1e9 })),
      /2000000\d* records are too many to hold in memory \(at most 1000000\): read them with lazySchedule/,
    );
    assert.equal(schedule(profile("steady", { steadySeconds: MAX_EAGER_RECORDS / 2 })).length, MAX_EAGER_RECORDS);
  });
});
