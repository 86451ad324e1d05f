// Kinesis Data Streams: what CreateStream and its follow-up calls refuse.

import { oneOf, within, type Rule } from "./common";
import { NAMES } from "./names";

export const KINESIS_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html
  "aws:kinesis/stream:Stream": (i) => {
    const mode = i.streamModeDetails?.streamMode ?? "PROVISIONED";
    return [
      ...NAMES.kinesisStream(i.name),
      ...oneOf("streamMode", mode, ["PROVISIONED", "ON_DEMAND"]),
      ...(mode === "PROVISIONED" && !(Number.isInteger(i.shardCount) && i.shardCount >= 1)
        ? ["a PROVISIONED stream needs shardCount >= 1"]
        : []),
      ...(mode === "ON_DEMAND" && i.shardCount !== undefined ? ["an ON_DEMAND stream takes no shardCount"] : []),
      ...within("retentionPeriod (hours)", i.retentionPeriod, 24, 8760),
      ...oneOf("encryptionType", i.encryptionType, ["NONE", "KMS"]),
      ...(i.encryptionType === "KMS" && !i.kmsKeyId ? ["encryptionType KMS needs a kmsKeyId"] : []),
      ...(i.encryptionType !== "KMS" && i.kmsKeyId ? ["kmsKeyId is only valid with encryptionType KMS"] : []),
    ];
  },
};
