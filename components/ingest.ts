// Traffic → ingest: the Kinesis data stream every click and impression lands in. It replaces the
// 2020 lab's direct-put Firehose as the entry point, because Managed Flink reads data streams and
// not Firehose; Firehose keeps its archiving job behind it (archive.ts).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface IngestArgs {
  /** Physical stream name. */
  readonly streamName: string;
}

/** One shard takes 1,000 records/s, which is 200 times the lab's five KDG windows. */
export const INGEST_SHARDS = 1;
/** The minimum retention Kinesis offers; longer costs extra and the lab replays nothing. */
export const INGEST_RETENTION_HOURS = 24;

export class Ingest extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.Stream;
  public readonly streamName: pulumi.Output<string>;
  public readonly streamArn: pulumi.Output<string>;

  constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
    super("clickstream:prelab:Ingest", name, {}, opts);

    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: args.streamName,
        streamModeDetails: { streamMode: "PROVISIONED" },
        shardCount: INGEST_SHARDS,
        retentionPeriod: INGEST_RETENTION_HOURS,
        // The AWS-managed key: encryption at rest at no key cost, and no key policy to maintain.
        encryptionType: "KMS",
        kmsKeyId: "alias/aws/kinesis",
      },
      { parent: this },
    );

    this.streamName = this.stream.name;
    this.streamArn = this.stream.arn;
    this.registerOutputs({ streamName: this.streamName, streamArn: this.streamArn });
  }
}
