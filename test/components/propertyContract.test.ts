// The runtime properties the Java job reads must be exactly those the component sets: both sides
// are read here, the Java sources and the SQL on one, the component's property groups on the other.

import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { propertyContract, propertyGroups } from "../../components/analytics";

const ROOT = join(__dirname, "..", "..");
const JAVA = join(ROOT, "analytics", "src", "main", "java", "lab", "clickstream");

/** group.key pairs the job reads: props.get/number("Group", "key"), group("Group").getProperty("key"), and ${key} in the SQL. */
function keysTheJobReads(): Set<string> {
  const contract = propertyContract().groups;
  const read = new Set<string>();
  const java = readdirSync(JAVA).map((f) => readFileSync(join(JAVA, f), "utf8")).join("\n");
  for (const m of java.matchAll(/(?:get|number)\("(\w+)", "([\w.]+)"\)/g)) read.add(`${m[1]}.${m[2]}`);
  for (const m of java.matchAll(/Properties (\w+) = props\.group\("(\w+)"\);([\s\S]*?)\n {2}}/g)) {
    for (const k of m[3]!.matchAll(new RegExp(`${m[1]}\\.getProperty\\("([\\w.]+)"`, "g"))) read.add(`${m[2]}.${k[1]}`);
  }
  // The stream groups also hand their Properties to awsClientProperties, which reads its own keys.
  const client = /static Properties awsClientProperties\(Properties group\) \{([\s\S]*?)\n {2}\}/.exec(java)?.[1] ?? "";
  const clientKeys = [...client.matchAll(/group\.getProperty\("([\w.]+)"/g)].map((k) => k[1]!);
  for (const m of java.matchAll(/Properties (\w+) = props\.group\("(\w+)"\);([\s\S]*?)\n {2}}/g)) {
    if (m[3]!.includes(`awsClientProperties(${m[1]})`)) for (const k of clientKeys) read.add(`${m[2]}.${k}`);
  }
  // Comment lines are not SQL (the job strips them too).
  const sql = readFileSync(join(ROOT, "sql", "anomaly-detection.sql"), "utf8").split("\n").filter((l) => !l.trim().startsWith("--")).join("\n");
  for (const m of sql.matchAll(/\$\{([\w.]+)\}/g)) {
    const group = Object.keys(contract).find((g) => contract[g]![m[1]!]);
    read.add(`${group ?? "?"}.${m[1]}`);
  }
  return read;
}

describe("runtime-property contract between the component and the Flink job", () => {
  const contract = propertyContract().groups;
  const all = new Set(Object.entries(contract).flatMap(([g, keys]) => Object.keys(keys).map((k) => `${g}.${k}`)));

  it("the job (Java and SQL) reads every key of the contract, and no other", () => {
    assert.deepEqual([...keysTheJobReads()].sort(), [...all].sort());
  });

  it("the component sets every key of the contract except the local-only endpoints it leaves empty", () => {
    const set = new Set(propertyGroups({ ingestStreamName: "i", anomaliesStreamName: "a", region: "us-east-1", anomalyThreshold: 2 }).flatMap((g) => Object.keys(g.propertyMap).map((k) => `${g.propertyGroupId}.${k}`)));
    assert.deepEqual([...all].filter((k) => !set.has(k)).sort(), ["AnomaliesStream.aws.endpoint", "IngestStream.aws.endpoint"]);
    assert.deepEqual([...set].filter((k) => !all.has(k)), []);
  });
});
