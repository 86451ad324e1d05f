// The fake account's Resource Groups Tagging API on 127.0.0.1: GetResources over the JSON 1.1
// protocol, answered from the account's state file, so the instructor CLI's leftovers check
// (`destroy`) asks the same account the real engine created and deleted resources in. Point the
// AWS SDK at it with AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API. It also answers Managed Flink's
// DescribeApplication (the status the account recorded: what `update`'s canary check reads; point
// the SDK at it with AWS_ENDPOINT_URL_KINESIS_ANALYTICS_V2).
// https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_DescribeApplication.html
// https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html

import { createServer, type Server } from "node:http";
import { loadAccount } from "./accountFile";
import type { FakeAccount } from "./core";

/**
 * DescribeApplication's answer (status code and body) from the application the account recorded,
 * its status as it is now (a transition whose time has come has ended: FakeAccount.applicationStatus).
 */
function describeApplication(account: FakeAccount, name: string): [number, unknown] {
  const app = account.resources.find((r) => r.type === "aws:kinesisanalyticsv2/application:Application" && r.state.name === name);
  if (!app) return [400, { __type: "ResourceNotFoundException", Message: `Application ${name} does not exist` }];
  const s = app.state;
  const status = account.applicationStatus(app.id) ?? s.status;
  const detail = { ApplicationARN: app.id, ApplicationName: name, ApplicationStatus: status, ApplicationVersionId: s.versionId };
  return [200, { ApplicationDetail: { ...detail, RuntimeEnvironment: s.runtimeEnvironment } }];
}

export interface TaggingApi {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Serves GetResources and DescribeApplication for the account kept in `accountFile` (read afresh on every call).
 * @throws when no port on 127.0.0.1 can be had.
 */
export async function startTaggingApi(accountFile: string): Promise<TaggingApi> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(body));
      };
      let account: FakeAccount;
      try {
        account = loadAccount(accountFile);
      } catch (e) {
        reply(500, { __type: "InternalServiceException", Message: e instanceof Error ? e.message : String(e) });
        return;
      }
      const body = (chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {}) as {
        TagFilters?: { Key: string; Values?: string[] }[];
        ApplicationName?: string;
      };
      if (target === "KinesisAnalytics_20180523.DescribeApplication")
        return reply(...describeApplication(account, String(body.ApplicationName)));
      if (target !== "ResourceGroupsTaggingAPI_20170126.GetResources") {
        reply(400, {
          __type: "InvalidParameterException",
          Message: `the fake account's API answers GetResources and DescribeApplication only, not ${target || "(no X-Amz-Target)"}`,
        });
        return;
      }
      reply(200, {
        PaginationToken: "",
        ResourceTagMappingList: account.tagged(body.TagFilters ?? []).map((arn) => ({ ResourceARN: arn, Tags: [] })),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
