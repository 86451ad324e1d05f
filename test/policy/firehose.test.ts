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
});
