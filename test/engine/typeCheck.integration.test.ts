// Issue 24: the engine runs the program and the pack without type-checking them on every run.
// A type error in someone's own change must still stop `pulumi preview` and `pulumi up` before
// anything is created, with tsc's file and line (infra/typecheck.ts), and a fixed file must run.
// The sandbox's environment has no PULUMI_NODEJS_TRANSPILE_ONLY, as a `pulumi up` by hand: the
// program's entry (infra/main.js) is what keeps ts-node out. One stack, two failing runs and one
// passing preview.

import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSandbox, POLICY_PACK_SHIM, type EngineSandbox } from "../../offline/engine/sandbox";
import { endsAtIn, initStack, pulumiOk } from "../support/engine";

describe("a type error in the program on the real engine", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  let file: string;
  let original: string;
  const ok = (args: string[]) => pulumiOk(sb, args);

  before(async () => {
    // infra/ copied, not linked: the test edits the copy, never the repository.
    sb = createSandbox({ copy: ["infra"] });
    file = join(sb.project, "infra", "teamStack.ts");
    original = readFileSync(file, "utf8");
    await initStack(sb, "dev", [
      ["notificationEmail", "you@example.com"],
      ["endsAt", endsAtIn(4)],
    ]);
  });
  after(() => sb.dispose());

  it("stops preview and up with tsc's file, line and code, and creates nothing", async () => {
    writeFileSync(file, `${original}\nexport const notANumber: number = "a type error";\n`);
    const line = original.split("\n").length + 1;
    for (const args of [
      ["preview", "--policy-pack", POLICY_PACK_SHIM],
      ["up", "--yes", "--policy-pack", POLICY_PACK_SHIM],
    ]) {
      const r = await sb.pulumi(args);
      const out = `${r.stdout}\n${r.stderr}`;
      assert.notEqual(r.code, 0, `pulumi ${args[0]} must fail:\n${out}`);
      assert.match(out, new RegExp(`infra/teamStack\\.ts\\(${line},\\d+\\): error TS2322`), out);
      assert.match(out, /npm run typecheck/);
      assert.deepEqual(sb.account().resources, [], `pulumi ${args[0]} created nothing`);
    }
  });

  it("runs again once the file is fixed", async () => {
    writeFileSync(file, original);
    const preview = await ok(["preview", "--policy-pack", POLICY_PACK_SHIM]);
    assert.match(preview, /\+ \d+ to create/);
  });
});
