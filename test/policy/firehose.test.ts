import { strict as assert } from "node:assert";
import { firehosePolicy } from "../../policy/rules/firehose";
import { check } from "./harness";

const TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const s3 = (extra: Record<string, unknown> = {}) => ({
  type: TYPE,
  props: { destination: "extended_s3", extendedS3Configuration: { bufferingInterval: 60, bufferingSize: 5, ...extra } },
});

describe("firehose-plain-delivery", () => {
  it("passes S3 delivery with a 60 s buffer", async () => assert.deepEqual(await check(firehosePolicy, [s3()]), []));
  it("refuses record format conversion", async () =>
    assert.match(
      (await check(firehosePolicy, [s3({ dataFormatConversionConfiguration: { enabled: true } })])).join(),
      /format conversion/,
    ));
  it("refuses dynamic partitioning and a 10 s buffer", async () => {
    const found = await check(firehosePolicy, [s3({ dynamicPartitioningConfiguration: { enabled: true }, bufferingInterval: 10 })]);
    assert.equal(found.length, 2, found.join("\n"));
  });
  // Issue 14, input 5: the rule used to return early when there were no S3 settings.
  it("refuses delivery to an HTTP endpoint", async () => {
    const found = await check(firehosePolicy, [
      { type: TYPE, props: { destination: "http_endpoint", httpEndpointConfiguration: { url: "https://collector.example.com" } } },
    ]);
    assert.deepEqual(found, [
      'Destination http_endpoint is not part of the lab; the archive delivers to S3 (destination: "extended_s3").',
      "httpEndpointConfiguration is refused: the archive delivers to this team's S3 bucket only.",
      "extendedS3Configuration is missing: the archive delivers to S3.",
    ]);
  });
  // Issue 26 kind 8: deny by default reaches nested configuration.
  it("refuses a Lambda processor inside the S3 delivery (the reported input)", async () => {
    const found = await check(firehosePolicy, [
      s3({
        processingConfiguration: {
          enabled: true,
          processors: [
            { type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: "arn:aws:lambda:us-east-1:1:function:f" }] },
          ],
        },
      }),
    ]);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /processingConfiguration is refused/);
  });
  it("refuses a backup copy and any nested setting it does not know, and passes the ones switched off", async () => {
    const found = await check(firehosePolicy, [
      s3({ s3BackupMode: "Enabled", s3BackupConfiguration: { bucketArn: "arn:aws:s3:::elsewhere" } }),
    ]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found.join(), /s3BackupMode is not part of the lab's archive[\s\S]*s3BackupConfiguration is not part/);
    const off = await check(firehosePolicy, [
      s3({ processingConfiguration: { enabled: false }, s3BackupMode: "Disabled", compressionFormat: "GZIP", prefix: "weblogs/raw/" }),
    ]);
    assert.deepEqual(off, []);
  });
});
