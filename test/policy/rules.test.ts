// Every rule with a passing and a failing case.

import { strict as assert } from "node:assert";
import type { PolicyProviderResource } from "@pulumi/policy";
import { cognitoIdentityPoolsPolicy } from "../../policy/rules/cognitoIdentityPools";
import { costBudgetPolicy } from "../../policy/rules/costBudget";
import { firehosePolicy } from "../../policy/rules/firehose";
import { flinkApplicationsPolicy } from "../../policy/rules/flinkApplications";
import { flinkStopSchedulePolicy } from "../../policy/rules/flinkStopSchedule";
import { iamNoWildcardActionPolicy, iamResourceStarPolicy } from "../../policy/rules/iamPolicies";
import { kinesisStreamsPolicy } from "../../policy/rules/kinesisStreams";
import { labTypesPolicy } from "../../policy/rules/labTypes";
import { lambdaFunctionsPolicy } from "../../policy/rules/lambdaFunctions";
import { logRetentionPolicy } from "../../policy/rules/logRetention";
import { regionPolicy } from "../../policy/rules/region";
import { requiredTagsPolicy } from "../../policy/rules/requiredTags";
import { s3BucketsPolicy } from "../../policy/rules/s3Buckets";
import { check, flinkApp, stopSchedule, type FakeResource } from "./harness";

const TAGS = { event: "e", team: "t", "expires-at": "2026-12-01T00:00:00.000Z" };
const provider = (region = "us-east-1", tags: Record<string, string> = TAGS): PolicyProviderResource => ({
  type: "pulumi:providers:aws",
  name: "aws",
  urn: "urn:aws",
  props: { region, defaultTags: JSON.stringify({ tags }) },
});

const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const bucketWith = (name: string, settings: { block?: boolean; sse?: boolean; days?: number }): FakeResource[] => [
  { type: "aws:s3/bucket:Bucket", props: { bucket: name } },
  ...(settings.block === false ? [] : [{ type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props: { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: settings.block !== undefined ? settings.block : true } }]),
  ...(settings.sse === false ? [] : [{ type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", props: { bucket: name } }]),
  ...(settings.days === undefined ? [] : [{ type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", props: { bucket: name, rules: [{ status: "Enabled", filter: { prefix: "" }, expiration: { days: settings.days } }] } }]),
];

describe("policy rules", () => {
  describe("us-east-1-only", () => {
    it("passes a provider and a resource in us-east-1", async () => {
      assert.deepEqual(await check(regionPolicy, [{ type: "pulumi:providers:aws", props: { region: "us-east-1" } }, { type: "aws:sns/topic:Topic", props: {}, provider: provider() }]), []);
    });
    it("fails a provider in eu-west-1", async () => {
      assert.match((await check(regionPolicy, [{ type: "pulumi:providers:aws", props: { region: "eu-west-1" } }])).join(), /points at eu-west-1/);
    });
    it("fails a resource that overrides its own region", async () => {
      assert.match((await check(regionPolicy, [{ type: "aws:sns/topic:Topic", props: { region: "eu-west-1" }, provider: provider() }])).join(), /overrides its region to eu-west-1/);
    });
    it("fails a resource registered with a provider elsewhere", async () => {
      assert.match((await check(regionPolicy, [{ type: "aws:sns/topic:Topic", props: {}, provider: provider("ap-south-1") }])).join(), /provider aws points at ap-south-1/);
    });
  });

  describe("lab-resource-types-only", () => {
    it("passes the lab's types", async () => assert.deepEqual(await check(labTypesPolicy, [{ type: "aws:kinesis/stream:Stream", props: {} }]), []));
    it("fails an EC2 instance and a NAT gateway", async () => {
      const found = await check(labTypesPolicy, [{ type: "aws:ec2/instance:Instance", props: {} }, { type: "aws:ec2/natGateway:NatGateway", props: {} }]);
      assert.equal(found.length, 2);
    });
  });

  describe("flink-one-kpu", () => {
    it("passes one KPU, autoscaling off, FLINK-1_20", async () => assert.deepEqual(await check(flinkApplicationsPolicy, [flinkApp()]), []));
    it("fails two KPUs", async () => assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 2, 1)])).join(), /2 KPUs/));
    it("counts KPUs as parallelism / parallelismPerKpu, rounded up", async () => {
      assert.deepEqual(await check(flinkApplicationsPolicy, [flinkApp("a", 4, 4)]), []);
      assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 5, 4)])).join(), /2 KPUs/);
    });
    it("fails autoscaling", async () => assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 1, 1, true)])).join(), /Autoscaling/));
    it("fails the SQL runtime", async () => assert.match((await check(flinkApplicationsPolicy, [flinkApp("a", 1, 1, false, "SQL-1_0")])).join(), /SQL-1_0/));
    it("takes its limit from config", async () => assert.deepEqual(await check(flinkApplicationsPolicy, [flinkApp("a", 2, 1)], { maxKpus: 2 }), []));
  });

  describe("flink-stop-schedule", () => {
    it("passes an application with its stop schedule", async () => assert.deepEqual(await check(flinkStopSchedulePolicy, [flinkApp("x"), stopSchedule("x")]), []));
    it("fails an application whose schedule stops another one", async () => {
      assert.match((await check(flinkStopSchedulePolicy, [flinkApp("x"), stopSchedule("y")])).join(), /x has no schedule/);
    });
  });

  describe("kinesis-provisioned-small", () => {
    it("passes one provisioned shard", async () => assert.deepEqual(await check(kinesisStreamsPolicy, [{ type: "aws:kinesis/stream:Stream", props: { shardCount: 1, streamModeDetails: { streamMode: "PROVISIONED" } } }]), []));
    it("fails on-demand", async () => assert.match((await check(kinesisStreamsPolicy, [{ type: "aws:kinesis/stream:Stream", props: { streamModeDetails: { streamMode: "ON_DEMAND" } } }])).join(), /ON_DEMAND/));
    it("fails two shards", async () => assert.match((await check(kinesisStreamsPolicy, [{ type: "aws:kinesis/stream:Stream", props: { shardCount: 2 } }])).join(), /2 shards/));
  });

  describe("lambda-small", () => {
    it("passes 128 MB and 30 s", async () => assert.deepEqual(await check(lambdaFunctionsPolicy, [{ type: "aws:lambda/function:Function", props: { memorySize: 128, timeout: 30 } }]), []));
    it("fails 1 GB", async () => assert.match((await check(lambdaFunctionsPolicy, [{ type: "aws:lambda/function:Function", props: { memorySize: 1024 } }])).join(), /1024 MB/));
    it("fails a 5-minute timeout", async () => assert.match((await check(lambdaFunctionsPolicy, [{ type: "aws:lambda/function:Function", props: { timeout: 300 } }])).join(), /300 s/));
    it("fails provisioned concurrency", async () => assert.equal((await check(lambdaFunctionsPolicy, [{ type: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", props: {} }])).length, 1));
  });

  describe("firehose-plain-delivery", () => {
    const firehose = (s3: object): FakeResource => ({ type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", props: { extendedS3Configuration: s3 } });
    it("passes 60 s / 50 MiB GZIP delivery", async () => assert.deepEqual(await check(firehosePolicy, [firehose({ bufferingInterval: 60, bufferingSize: 50 })]), []));
    it("fails format conversion and dynamic partitioning", async () => {
      const found = await check(firehosePolicy, [firehose({ bufferingInterval: 60, bufferingSize: 64, dataFormatConversionConfiguration: { enabled: true }, dynamicPartitioningConfiguration: { enabled: true } })]);
      assert.equal(found.length, 2);
    });
    it("fails a 10-second buffer", async () => assert.match((await check(firehosePolicy, [firehose({ bufferingInterval: 10, bufferingSize: 5 })])).join(), /10 s/));
  });

  describe("s3-private-encrypted-expiring", () => {
    it("passes a private, encrypted bucket expiring in 7 days", async () => assert.deepEqual(await check(s3BucketsPolicy, bucketWith("b", { days: 7 })), []));
    it("fails a bucket without expiry, encryption or full public-access block", async () => {
      const found = await check(s3BucketsPolicy, bucketWith("b", { block: false, sse: false }));
      assert.equal(found.length, 3, found.join("\n"));
    });
    it("fails an expiry longer than allowed", async () => assert.match((await check(s3BucketsPolicy, bucketWith("b", { days: 90 }))).join(), /90 days/));
  });

  describe("log-retention", () => {
    it("passes 7 days", async () => assert.deepEqual(await check(logRetentionPolicy, [{ type: "aws:cloudwatch/logGroup:LogGroup", props: { retentionInDays: 7 } }]), []));
    it("fails never-expiring logs", async () => assert.match((await check(logRetentionPolicy, [{ type: "aws:cloudwatch/logGroup:LogGroup", props: {} }])).join(), /never expires/));
    it("fails a year", async () => assert.match((await check(logRetentionPolicy, [{ type: "aws:cloudwatch/logGroup:LogGroup", props: { retentionInDays: 365 } }])).join(), /365/));
  });

  describe("team-hourly-budget", () => {
    it("passes the lab's shape (one 1-KPU app, two 1-shard streams)", async () => {
      const stream = { type: "aws:kinesis/stream:Stream", props: { shardCount: 1 } };
      assert.deepEqual(await check(costBudgetPolicy, [flinkApp(), stream, stream]), []);
    });
    it("fails four KPUs", async () => assert.match((await check(costBudgetPolicy, [flinkApp("big", 4, 1)])).join(), /over the budget of \$0\.50\/h/));
  });

  describe("required-tags", () => {
    it("passes a taggable resource with the provider's default tags", async () => assert.deepEqual(await check(requiredTagsPolicy, [{ type: "aws:sns/topic:Topic", props: {}, provider: provider() }]), []));
    it("passes tags set on the resource itself", async () => assert.deepEqual(await check(requiredTagsPolicy, [{ type: "aws:sns/topic:Topic", props: { tags: TAGS }, provider: provider("us-east-1", {}) }]), []));
    it("fails a resource without expires-at", async () => {
      const found = await check(requiredTagsPolicy, [{ type: "aws:sns/topic:Topic", props: {}, provider: provider("us-east-1", { event: "e", team: "t" }) }]);
      assert.match(found.join(), /Missing tags: expires-at/);
    });
    it("ignores types that take no tags", async () => assert.deepEqual(await check(requiredTagsPolicy, [{ type: "aws:iam/rolePolicy:RolePolicy", props: {} }]), []));
  });

  describe("cognito-no-guest-access", () => {
    it("passes a pool without guests", async () => assert.deepEqual(await check(cognitoIdentityPoolsPolicy, [{ type: "aws:cognito/identityPool:IdentityPool", props: { allowUnauthenticatedIdentities: false } }]), []));
    it("fails a pool with guests", async () => assert.equal((await check(cognitoIdentityPoolsPolicy, [{ type: "aws:cognito/identityPool:IdentityPool", props: { allowUnauthenticatedIdentities: true } }])).length, 1));
  });

  describe("iam-no-wildcard-action", () => {
    it("passes named actions, and a Deny with s3:*", async () => {
      const found = await check(iamNoWildcardActionPolicy, [
        { type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc({ Effect: "Allow", Action: ["kinesis:PutRecords"], Resource: "arn:aws:kinesis:us-east-1:1:stream/s" }) } },
        { type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }) } },
      ]);
      assert.deepEqual(found, []);
    });
    it("fails s3:* and *", async () => {
      const found = await check(iamNoWildcardActionPolicy, [{ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc({ Effect: "Allow", Action: ["s3:*", "*"], Resource: "*" }) } }]);
      assert.match(found.join(), /s3:\*, \*/);
    });
  });

  describe("iam-resource-star-listed (advisory)", () => {
    it("passes the KDG page's list calls on *", async () => {
      const found = await check(iamResourceStarPolicy, [{ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc({ Effect: "Allow", Action: ["kinesis:ListStreams", "ec2:DescribeRegions"], Resource: "*" }) } }]);
      assert.deepEqual(found, []);
    });
    it("fails a data call on *", async () => {
      const found = await check(iamResourceStarPolicy, [{ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc({ Effect: "Allow", Action: ["kinesis:PutRecords"], Resource: "*" }) } }]);
      assert.match(found.join(), /kinesis:PutRecords/);
    });
  });
});
