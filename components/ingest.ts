// Traffic → ingest: the Kinesis data stream every click and impression lands in. It replaces the
// 2020 lab's direct-put Firehose as the entry point, because Managed Flink reads data streams and
// not Firehose; Firehose keeps its archiving job behind it (archive.ts).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentType, withFormerTypes } from "./componentType";

export interface IngestArgs {
  /**
   * Physical stream name: 1-128 characters of letters, digits, `_`, `-` and `.`, unique per
   * account and region (infra/naming.ts: `<event>-<team>-clicks`).
   */
  readonly streamName: string;
}

/** One shard takes 1,000 records/s, which is 200 times the lab's five KDG windows. */
export const INGEST_SHARDS = 1;
/** The minimum retention Kinesis offers; longer costs extra and the lab replays nothing. */
export const INGEST_RETENTION_HOURS = 24;

/**
 * The lab's entry point: one provisioned Kinesis data stream (INGEST_SHARDS shard,
 * INGEST_RETENTION_HOURS hours, encrypted with the AWS-managed key `alias/aws/kinesis`). The KDG
 * and `npm run traffic` put records to it; Firehose (Archive) and the Flink job (Analytics) read it.
 *
 * Children: `<name>-stream`.
 */
export class Ingest extends pulumi.ComponentResource {
  /** The ingest stream. */
  public readonly stream: aws.kinesis.Stream;
  /** The stream's name, as given in `streamName`. */
  public readonly streamName: pulumi.Output<string>;
  /** `arn:aws:kinesis:<region>:<account>:stream/<name>`: what the KDG role, Firehose and Flink are granted. */
  public readonly streamArn: pulumi.Output<string>;

  /**
   * @param name logical name of the component and the prefix of its children's names.
   * @param args the stream's physical name.
   * @param opts options for the component (parent, provider, aliases).
   */
  constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("Ingest"), name, {}, withFormerTypes(opts, "clickstream:prelab:Ingest"));

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
