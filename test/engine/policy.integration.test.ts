// The CrossGuard pack on the real engine: the committed stacks pass it on preview and up, and each
// mutation a team could make is refused at the FIRST preview, when the ids and ARNs of what does
// not exist yet are still unknown, so before anything is created.

import { strict as assert } from "node:assert";
import { createSandbox, POLICY_PACK_SHIM, type EngineSandbox } from "../../offline/engine/sandbox";
import { endsAtIn, initStack, pulumiOk as ok } from "../support/engine";

const PACK = ["--policy-pack", POLICY_PACK_SHIM];

/** Policy names the engine printed as mandatory violations. */
function mandatory(output: string): string[] {
  return [...output.matchAll(/\[mandatory\]\s+([\w-]+)/g)]
    .map((m) => m[1]!)
    .filter((v, i, a) => a.indexOf(v) === i)
    .sort();
}

describe("policy pack on the real engine", function () {
  this.timeout(1_800_000);

  for (const stack of ["dev", "workshop"]) {
    describe(`the ${stack} stack`, () => {
      let sb: EngineSandbox;
      before(async () => {
        sb = createSandbox();
        await initStack(sb, stack, [
          ["notificationEmail", "team@example.com"],
          ["endsAt", endsAtIn(4)],
        ]);
      });
      after(() => sb.dispose());

      it("passes the pack at its first preview, with no mandatory violation", async () => {
        const out = await ok(sb, ["preview", ...PACK]);
        assert.deepEqual(mandatory(out), []);
        assert.match(out, /Policies:/);
        assert.deepEqual(sb.account().resources, [], "a preview creates nothing");
      });

      it("passes it on up, and leaves nothing behind on destroy", async () => {
        const out = await ok(sb, ["up", "--yes", ...PACK]);
        assert.deepEqual(mandatory(out), []);
        assert.ok(sb.account().resources.length > 40);
        await ok(sb, ["destroy", "--yes"]);
        assert.deepEqual(sb.account().resources, []);
      });
    });
  }

  describe("a mutated program", () => {
    let sb: EngineSandbox;
    before(async () => {
      sb = createSandbox({ main: "test/engine/mutant.ts" });
      await initStack(sb, "dev", [
        ["notificationEmail", "team@example.com"],
        ["endsAt", endsAtIn(4)],
      ]);
    });
    after(() => sb.dispose());

    const CASES: [string, string][] = [
      ["eu-west-1", "us-east-1-only"],
      ["public-bucket", "s3-private-encrypted-expiring"],
      ["two-kpus", "flink-one-kpu"],
      ["no-stop-schedule", "flink-stop-schedule"],
      ["disabled-stop-schedule", "scheduler-one-time-lab-targets"],
    ];
    for (const [mutation, rule] of CASES) {
      it(`is refused at the first preview: ${mutation} (${rule})`, async () => {
        const r = await sb.run(`${sb.env.PATH!.split(":")[0]}/pulumi`, ["preview", ...PACK], { env: { LAB_MUTATION: mutation } });
        const out = `${r.stdout}\n${r.stderr}`;
        assert.notEqual(r.code, 0, `the preview passed:\n${out}`);
        assert.ok(mandatory(out).includes(rule), `expected ${rule} among ${JSON.stringify(mandatory(out))}:\n${out}`);
        assert.deepEqual(sb.account().resources, [], "nothing was created");
      });
    }

    it("an up of a mutated program is refused before it creates anything", async () => {
      const r = await sb.run(`${sb.env.PATH!.split(":")[0]}/pulumi`, ["up", "--yes", ...PACK], { env: { LAB_MUTATION: "two-kpus" } });
      assert.notEqual(r.code, 0);
      assert.deepEqual(sb.account().resources, [], "the pack refused the update at its preview");
    });
  });
});
