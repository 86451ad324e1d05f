// The fake account keeps stacks apart (issue #26, kind 7): every resource is found by what AWS
// finds it by (a log stream within its group, an object within its bucket, a random value within
// its stack, a regional resource within its region), never by its id alone. Two whole team stacks
// share ids today (`LogStream application`, `RandomPassword none`, the JAR's key): deleting one
// team's resources, as the engine hands them back, must leave the other's exactly as they were.
// Also: a corrupt account file is named as such, and the file ends owner-only.

import { strict as assert } from "node:assert";
import { chmodSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockAccount } from "../../offline/fakeAws/account";
import { changeAccount, CorruptAccountFile, loadAccount } from "../../offline/fakeAws/accountFile";
import { FakeAccount, type Locator, type RecordedResource } from "../../offline/fakeAws/core";
import { runTeam } from "../support";

/** What the engine holds of a resource and hands to the provider's delete and update. */
const held = (r: RecordedResource): Locator => ({
  type: r.type,
  id: r.id,
  stack: r.stack,
  name: r.name,
  state: r.state,
  ...(r.region ? { region: r.region } : {}),
});

describe("the fake account keeps stacks apart (#26 kind 7)", () => {
  it("deletes one team's every resource and leaves the other team's exactly as they were", async () => {
    const account = new MockAccount();
    const alpha = await runTeam({ team: "alpha" }, account);
    const bravo = await runTeam({ team: "bravo" }, account);
    const ids = (run: typeof alpha) => new Set(run.resources.map((r) => `${r.type} ${r.id}`));
    const shared = [...ids(alpha)].filter((k) => ids(bravo).has(k));
    assert.ok(
      shared.some((k) => k.startsWith("aws:cloudwatch/logStream:LogStream")) &&
        shared.some((k) => k.startsWith("random:")) &&
        shared.some((k) => k.startsWith("aws:s3/bucketObjectv2:")),
      `the two stacks share ids, which is what this test is about: ${shared.join(", ")}`,
    );
    const alphaBefore = JSON.stringify(account.ofStack(alpha.resources[0]!.stack));
    // bravo, the later stack, goes first (a lookup by id alone finds alpha's), in reverse creation
    // order: what depends on a resource goes first, as the engine deletes.
    for (const r of [...bravo.resources].reverse()) account.deleteResource(held(r));
    assert.deepEqual(
      account.ofStack(bravo.resources[0]!.stack).map((r) => `${r.type} ${r.name}`),
      [],
      "every resource of bravo is gone",
    );
    assert.equal(JSON.stringify(account.ofStack(alpha.resources[0]!.stack)), alphaBefore, "alpha's resources are untouched");
  });

  it("updates the resource of the stack that holds it, not another stack's of the same id", async () => {
    const account = new MockAccount();
    const alpha = await runTeam({ team: "alpha" }, account);
    const bravo = await runTeam({ team: "bravo" }, account);
    const stream = (run: typeof alpha) => run.account.ofStack(run.resources[0]!.stack).find((r) => r.name === "analytics-log-stream")!;
    assert.equal(stream(alpha).id, stream(bravo).id);
    const alphaBefore = JSON.stringify(stream(alpha));
    // bravo's inputs again: the update must find bravo's stream (and leave alpha's, of the same id, alone).
    account.updateResource(held(stream(bravo)), stream(bravo).inputs);
    assert.equal(JSON.stringify(stream(alpha)), alphaBefore);
  });

  it("finds a regional resource within its region, a random value within its stack and name", () => {
    const account = new FakeAccount();
    for (const region of ["us-east-1", "eu-west-1"])
      account.createResource({
        stack: region,
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "g",
        wireInputs: { name: "same-name" },
        providerRegion: region,
      });
    const [east, west] = account.resources;
    assert.equal(east!.id, west!.id, "a log group's id is its name, the same in both regions");
    account.deleteResource({ ...held(west!), state: { name: "same-name" }, region: "eu-west-1" });
    assert.deepEqual(
      account.resources.map((r) => r.region),
      ["us-east-1"],
    );
    for (const name of ["one", "two"])
      account.createResource({ stack: "s", type: "random:index/randomPassword:RandomPassword", name, wireInputs: { length: 16 } });
    const [one] = account.resources.filter((r) => r.type.startsWith("random:"));
    account.deleteResource(held(one!));
    assert.deepEqual(
      account.resources.filter((r) => r.type.startsWith("random:")).map((r) => r.name),
      ["two"],
    );
  });

  it("refuses a second log stream of the same name in the same group, not in another group", () => {
    const account = new FakeAccount();
    const group = (name: string) =>
      account.createResource({
        stack: "s",
        type: "aws:cloudwatch/logGroup:LogGroup",
        name,
        wireInputs: { name },
        providerRegion: "us-east-1",
      });
    const stream = (stack: string, logGroupName: string) =>
      account.createResource({
        stack,
        type: "aws:cloudwatch/logStream:LogStream",
        name: "st",
        wireInputs: { name: "application", logGroupName },
        providerRegion: "us-east-1",
      });
    group("g1");
    group("g2");
    stream("a", "g1");
    stream("b", "g2");
    assert.throws(() => stream("c", "g1"), /already taken by a\/st/);
  });
});

describe("the fake account's file", () => {
  const dir = mkdtempSync(join(tmpdir(), "account-file-"));

  it("names a corrupt file as corrupt, with the file and the fix", () => {
    const cases: [string, RegExp][] = [
      ["{ not json", /not JSON/],
      ["", /it is empty/],
      ["[]", /not a JSON object/],
      [JSON.stringify({ accountId: "123456789012", taken: {} }), /no resources list/],
      [JSON.stringify({ accountId: "123456789012", resources: [{ type: "x" }], taken: {} }), /resource 0 has no type, id, stack or state/],
    ];
    for (const [text, why] of cases) {
      const file = join(dir, "corrupt.json");
      writeFileSync(file, text);
      assert.throws(
        () => loadAccount(file),
        (e: Error) =>
          e instanceof CorruptAccountFile &&
          why.test(e.message) &&
          e.message.includes(`${file} is corrupt`) &&
          /Delete it to start from an empty account/.test(e.message),
        text,
      );
    }
  });

  it("ends owner-only (0600) whatever mode the file had", async () => {
    const file = join(dir, "account.json");
    writeFileSync(file, JSON.stringify(new FakeAccount().toJSON()));
    chmodSync(file, 0o644);
    await changeAccount(file, (a) =>
      a.createResource({ stack: "s", type: "random:index/randomPassword:RandomPassword", name: "p", wireInputs: { length: 16 } }),
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadAccount(file).resources.length, 1);
  });
});
