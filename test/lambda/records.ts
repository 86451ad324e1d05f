// A Kinesis record as the event source mapping hands it to the alert function, for the unit tests.

import type { KinesisStreamRecord } from "aws-lambda";
import type { AnomalyRow } from "../../lambda/alert";

/** The burst's row as the Flink job writes it, in the last window of 2026. */
export const ROW: AnomalyRow = {
  ctrPercent: 366.6666666666667,
  anomalyScore: 3.4977,
  clicks: 44,
  impressions: 12,
  windowStart: "2026-12-31T23:59:50Z",
  windowEnd: "2027-01-01T00:00:00Z",
};

/** One record of the stream e-t-anomalies carrying `data` (UTF-8) under sequence number `seq`. */
export function record(data: string, seq: string): KinesisStreamRecord {
  return {
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `shardId-000000000000:${seq}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::123456789012:role/x",
    awsRegion: "us-east-1",
    eventSourceARN: "arn:aws:kinesis:us-east-1:123456789012:stream/e-t-anomalies",
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: "k",
      sequenceNumber: seq,
      data: Buffer.from(data).toString("base64"),
      approximateArrivalTimestamp: 1_800_000_000,
    },
  };
}
