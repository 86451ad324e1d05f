// What a newcomer's new resource must reach (docs/changing-things.md, "A new resource"): every
// resource type the program plans must be known to the policy pack's type list, the cost model and
// the fake account. Each place fails loudly on its own; this test names them all at once, with the
// file to edit for each, so one run tells a newcomer everything they missed.

import { strict as assert } from "node:assert";
import { MockAccount } from "../offline/fakeAws/account";
import { RULES } from "../offline/fakeAws/rules";
import { planStack } from "../offline/plan";
import { estimate } from "../policy/cost/model";
import { LAB_TYPES } from "../policy/rules/labTypes";

/** One place a resource type must be known, and the file a newcomer edits to add it there. */
interface Home {
  readonly knows: (type: string) => boolean;
  readonly edit: string;
}

const HOMES: readonly Home[] = [
  { knows: (t) => t in LAB_TYPES, edit: "policy/rules/labTypes.ts: an entry in LAB_TYPES (taggable, why)" },
  {
    knows: (t) => estimate([{ type: t, props: {} }]).unpriced.length === 0,
    edit: "policy/cost/model.ts: a pricer in PRICERS (or free(why)), with its price in policy/cost/prices.ts",
  },
  {
    knows: (t) => t.startsWith("pulumi:") || t in RULES,
    edit: "offline/fakeAws/rules/<service>.ts: the Rule AWS applies when it creates one (names, values, references)",
  },
];

/** For each type, the files that do not know it yet; empty when every home knows every type. */
export function missingHomes(types: readonly string[]): string[] {
  return types.flatMap((type) => {
    const edits = HOMES.filter((h) => !h.knows(type)).map((h) => `    - ${h.edit}`);
    return edits.length === 0 ? [] : [`  ${type}:\n${edits.join("\n")}`];
  });
}

describe("a new resource reaches every place that must know it (docs/changing-things.md)", () => {
  it("every type the dev and workshop stacks plan is in the pack's type list, the cost model and the fake account", async () => {
    const account = new MockAccount();
    for (const stack of ["dev", "workshop"]) await planStack(stack, { account });
    const types = [
      ...new Set(
        account
          .ofStack("dev")
          .concat(account.ofStack("workshop"))
          .map((r) => r.type),
      ),
    ]
      .filter((t) => !t.startsWith("clickstream:"))
      .sort();
    assert.ok(types.length > 20, `the plan listed only ${types.length} types`);
    const missing = missingHomes(types);
    assert.deepEqual(missing, [], `Resource types the program plans that the project does not know everywhere:\n${missing.join("\n")}`);
  });

  it("names every file for a type no place knows", () => {
    const [entry] = missingHomes(["aws:ec2/instance:Instance"]);
    assert.ok(entry);
    for (const file of ["policy/rules/labTypes.ts", "policy/cost/model.ts", "offline/fakeAws/rules/"])
      assert.ok(entry.includes(file), entry);
  });
});
