import { strict as assert } from "node:assert";
import { lambdaFunctionsPolicy } from "../../policy/rules/lambdaFunctions";
import { check } from "./harness";

const fn = (props: Record<string, unknown>) => ({
  type: "aws:lambda/function:Function",
  props: { memorySize: 128, timeout: 10, ...props },
});

describe("lambda-small", () => {
  it("passes the alert handler's settings", async () =>
    assert.deepEqual(
      await check(lambdaFunctionsPolicy, [fn({}), fn({ reservedConcurrentExecutions: 1, ephemeralStorage: { size: 512 } })]),
      [],
    ));
  it("refuses 1 GB of memory and a 5-minute timeout", async () => {
    const found = await check(lambdaFunctionsPolicy, [fn({ memorySize: 1024, timeout: 300 })]);
    assert.deepEqual(found, ["memorySize 1024 MB is over 256 MB.", "timeout 300 s is over 60 s."]);
  });
  // Issue 14, input 5.
  it("refuses reserved concurrency 900 (it starves every other team of the account)", async () => {
    assert.match(
      (await check(lambdaFunctionsPolicy, [fn({ reservedConcurrentExecutions: 900 })])).join(),
      /reservedConcurrentExecutions 900 is over 5/,
    );
  });
  it("refuses 10 GB of ephemeral storage", async () => {
    assert.match(
      (await check(lambdaFunctionsPolicy, [fn({ ephemeralStorage: { size: 10240 } })])).join(),
      /ephemeralStorage 10240 MB is over 512 MB/,
    );
  });
});
