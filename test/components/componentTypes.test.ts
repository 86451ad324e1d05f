// Component type tokens: `clickstream:index:<Type>` (components/componentType.ts), each with an
// alias to the token it had at commit 4844728, so deployed stacks keep their resources. That the
// engine carries these aliases down to every child is proven on the real engine
// (test/engine/componentAliases.integration.test.ts); here, what each component sends.

import { strict as assert } from "node:assert";
import { COMPONENT_PACKAGE, componentType } from "../../components/componentType";
import { COMPONENT_PACKAGE as PACK_COMPONENT_PACKAGE } from "../../policy/rules/labTypes";
import { runTeamComponents, type RegisteredComponent } from "./componentTree";

/** The tokens the components registered with before (commit 4844728), by type name. */
const FORMER: Readonly<Record<string, string>> = {
  Ingest: "clickstream:prelab:Ingest",
  KdgAccess: "clickstream:prelab:KdgAccess",
  Archive: "clickstream:prelab:Archive",
  Notifications: "clickstream:prelab:Notifications",
  Analytics: "clickstream:lab:Analytics",
  Alert: "clickstream:lab:Alert",
  Dashboard: "clickstream:lab:Dashboard",
  EventEnd: "clickstream:lab:EventEnd",
  SecureBucket: "clickstream:storage:SecureBucket",
};

/** Components added after the move to `clickstream:index`: no former token, so no alias. */
const SINCE: readonly string[] = ["TeamView"];

describe("component type tokens", () => {
  let components: RegisteredComponent[];
  before(async () => {
    ({ components } = await runTeamComponents());
  });

  it("are clickstream:index:<Type> for every component the stack registers", () => {
    const tokens = [...new Set(components.map((c) => c.type))].sort();
    assert.deepEqual(tokens, [...Object.keys(FORMER), ...SINCE].map(componentType).sort());
  });

  it("each alias the component's former token, at the same name and parent", () => {
    for (const c of components) {
      const typeName = c.type.split(":").pop()!;
      if (SINCE.includes(typeName)) continue;
      const chain = c.urn.split("::")[2]!.split("$");
      const formerUrn = c.urn.replace(`::${chain.join("$")}::`, `::${[...chain.slice(0, -1), FORMER[typeName]].join("$")}::`);
      assert.ok(c.aliases.includes(formerUrn), `${c.urn} has no alias ${formerUrn}: ${c.aliases.join(", ")}`);
    }
  });

  it("use the package the policy pack admits as the project's components", () => {
    assert.equal(COMPONENT_PACKAGE, PACK_COMPONENT_PACKAGE);
    assert.ok(componentType("Alert").startsWith(`${PACK_COMPONENT_PACKAGE}:`));
  });
});
