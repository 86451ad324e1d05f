// The runtime-property contract (sql/runtime-properties.json) between the Pulumi component and the
// Flink job. Each side is checked where it lives: the job records every key it asks for while it
// builds the whole job and compares them with the contract in Java
// (analytics/src/test/.../RuntimePropertiesTest, theJobReadsExactlyTheKeysOfTheContract, run by
// `npm run test:flink`); here, the component's side and the SQL's placeholders.

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROPERTIES_CONTRACT, propertyContract, propertyGroups } from "../../components/analytics";
import { SQL_DIR } from "../../paths";

describe("runtime-property contract between the component and the Flink job", () => {
  const contract = propertyContract().groups;
  const all = new Set(Object.entries(contract).flatMap(([g, keys]) => Object.keys(keys).map((k) => `${g}.${k}`)));

  it("lives beside the SQL, where the job's build copies it from", () => {
    assert.equal(PROPERTIES_CONTRACT, join(SQL_DIR, "runtime-properties.json"));
    const pom = readFileSync(join(SQL_DIR, "..", "analytics", "pom.xml"), "utf8");
    assert.match(pom, /<directory>\$\{project\.basedir\}\/\.\.\/sql<\/directory>\s*<targetPath>sql<\/targetPath>/);
  });

  it("the component sets every key of the contract except the local-only endpoints and scored stream it leaves empty", () => {
    const set = new Set(
      propertyGroups({ ingestStreamName: "i", anomaliesStreamName: "a", region: "us-east-1", anomalyThreshold: 2.8 }).flatMap((g) =>
        Object.keys(g.propertyMap).map((k) => `${g.propertyGroupId}.${k}`),
      ),
    );
    // The scored stream is the local lab's live view; deployed stacks do not write it (docs/design.md).
    assert.deepEqual([...all].filter((k) => !set.has(k)).sort(), [
      "AnomaliesStream.aws.endpoint",
      "IngestStream.aws.endpoint",
      "ScoredStream.aws.endpoint",
      "ScoredStream.stream.name",
    ]);
    assert.deepEqual(
      [...set].filter((k) => !all.has(k)),
      [],
    );
  });

  it("the SQL names its parameters by group, and only keys of the contract's numeric groups", () => {
    const sql = readFileSync(join(SQL_DIR, "anomaly-detection.sql"), "utf8")
      .split("\n")
      .filter((l) => !l.trim().startsWith("--"))
      .join("\n");
    const used = [...sql.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);
    assert.ok(used.length >= 6, `placeholders found: ${used.join(", ")}`);
    for (const name of used) {
      assert.match(name, /^(Detection|RandomCutForest)\./, `${name}: only Detection and RandomCutForest values are checked numbers`);
      assert.ok(all.has(name), `${name} is not in ${PROPERTIES_CONTRACT}`);
    }
  });

  it("every key has a description, and a default unless it is required", () => {
    for (const [group, keys] of Object.entries(contract))
      for (const [key, spec] of Object.entries(keys)) {
        assert.ok(spec.description.length > 10, `${group}.${key} description`);
        assert.ok(spec.required === true || spec.default !== undefined, `${group}.${key} needs a default or required: true`);
      }
  });

  it("gives the local lab the deployed groups, pointed at its endpoint, and refuses a key the contract lacks", () => {
    const settings = { ingestStreamName: "in", anomaliesStreamName: "out", region: "us-east-1", anomalyThreshold: -1 };
    const local = Object.fromEntries(
      propertyGroups(settings, { IngestStream: { "aws.endpoint": "http://127.0.0.1:1" } }).map((g) => [g.propertyGroupId, g.propertyMap]),
    );
    const deployed = Object.fromEntries(propertyGroups(settings).map((g) => [g.propertyGroupId, g.propertyMap]));
    assert.equal(local.IngestStream!["aws.endpoint"], "http://127.0.0.1:1");
    assert.deepEqual({ ...local.IngestStream, "aws.endpoint": undefined }, { ...deployed.IngestStream, "aws.endpoint": undefined });
    assert.deepEqual(local.RandomCutForest, deployed.RandomCutForest, "the forest's parameters are the deployed ones");
    assert.throws(
      () => propertyGroups(settings, { IngestStream: { "aws.endpiont": "x" } }),
      /IngestStream\/aws.endpiont is not in the runtime-property contract/,
    );
  });
});
