// The detection rule and its values have one home: sql/anomaly-detection.sql says what makes a
// window an anomaly, sql/runtime-properties.json holds the values of Detection and RandomCutForest,
// and analytics/ runs them (issue #27). Everything else reads the job's verdict (the rows' `anomaly`,
// the anomalies stream) or the contract; a second copy drifts (local/lab.ts once re-applied the
// WHERE in TypeScript with the magnitude check's value copied in). This test reads every source file
// outside sql/ and analytics/ and fails, naming file and line, on:
//   - the rule restated: a score compared with a threshold, or the magnitude check's arithmetic on
//     a rate and its mean;
//   - a value of Detection or RandomCutForest written out: the key's name (as in the contract,
//     camelCase or CONSTANT_CASE) and its default on the same line.
// Reading the contract (propertyContract().groups.Detection[...]) is not a copy.

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { propertyContract } from "../components/analytics";
import { ROOT } from "../paths";

// Tests are left out: they state expected figures and chosen inputs on purpose (a test that took
// every expectation from the contract could not catch a wrong contract).
const HOME = /^(sql|analytics|node_modules|test)\//;
const CODE = /\.(ts|js|mjs|cjs|html)$/;

/**
 * Copies that must stay, each tied to the contract by its own test: file → Group/key. Add none
 * without such a test.
 */
const TIED: Record<string, string> = {
  // The policy pack loads alone (.dependency-cruiser.cjs, policy-loads-alone); test/policy/packCopies.test.ts ties it.
  "policy/cost/prices.ts": "Detection/window.seconds",
};

/** The rule restated (sql/anomaly-detection.sql, IS_ANOMALY). */
const RULE: { what: string; pattern: RegExp }[] = [
  { what: "a score compared with a threshold", pattern: /\w*score\w*\s*>=?\s*[\w.]*threshold/i },
  {
    what: "the magnitude check (a rate against its mean)",
    pattern: /Math\.abs\([^)]*ctr[^)]*-[^)]*mean|\bctrMean\s*[-+*/]|[-+*/]\s*[\w.]*ctrMean\b/i,
  },
];

function sourceFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\n").filter((f) => f && CODE.test(f) && !HOME.test(f));
}

/** "min.ctr.change" → the names code gives it: min.ctr.change, minCtrChange, MIN_CTR_CHANGE. */
function names(key: string): string[] {
  const words = key.split(".");
  return [
    key,
    words[0] +
      words
        .slice(1)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(""),
    words.join("_").toUpperCase(),
  ];
}

/** Each Detection and RandomCutForest key's names and a pattern for its default as a literal. */
function values(): { key: string; names: string[]; literal: RegExp; value: string }[] {
  const out = [];
  for (const group of ["Detection", "RandomCutForest"]) {
    for (const [key, spec] of Object.entries(propertyContract().groups[group] ?? {})) {
      const value = spec.default ?? "";
      out.push({
        key: `${group}/${key}`,
        names: names(key),
        value,
        literal: new RegExp(`(?<![\\w.])${value.replace(".", "\\.")}(?![\\w.])`),
      });
    }
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("one home for the detection rule and its values (issue #27)", () => {
  const self = relative(ROOT, join(__dirname, "detectionRule.test.ts"));

  it("no file outside sql/ and analytics/ restates the rule or writes out a Detection/RandomCutForest value", () => {
    const found: string[] = [];
    const vals = values();
    assert.ok(vals.length >= 7, "the contract's Detection and RandomCutForest keys were read");
    for (const file of sourceFiles()) {
      if (file === self) continue;
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const r of RULE) if (r.pattern.test(line)) found.push(`${file}:${i + 1}: ${r.what}: ${line.trim()}`);
          for (const v of vals)
            if (
              TIED[file] !== v.key &&
              v.names.some((n) => new RegExp(`(?<![\\w.])${escape(n)}(?![\\w])`).test(line)) &&
              v.literal.test(line)
            )
              found.push(
                `${file}:${i + 1}: ${v.key}'s value ${v.value} written out (read it from sql/runtime-properties.json): ${line.trim()}`,
              );
        });
    }
    assert.deepEqual(
      found,
      [],
      `the rule lives in sql/anomaly-detection.sql and its values in sql/runtime-properties.json:\n${found.join("\n")}`,
    );
  });

  it("catches what it says it does", () => {
    const flagged = (line: string) =>
      RULE.some((r) => r.pattern.test(line)) ||
      values().some((v) => v.names.some((n) => new RegExp(`(?<![\\w.])${escape(n)}(?![\\w])`).test(line)) && v.literal.test(line));
    // The line local/lab.ts had before the job wrote its verdict.
    assert.ok(flagged("const over = row.anomalyScore > o.threshold && Math.abs(row.ctrPercent - ctrMean) >= MIN_CTR_CHANGE * ctrMean;"));
    assert.ok(flagged('Detection: { "min.ctr.change": "0.5" },'));
    assert.ok(flagged("const subSampleSize = 12;"));
    assert.ok(flagged("fill: w.anomalyScore > c.threshold ? red : blue"));
    assert.ok(!flagged('const m = Number(propertyContract().groups.Detection!["min.ctr.change"]!.default);'));
    assert.ok(!flagged('if (anomalyScore < 0) throw new BadRow("anomalyScore must be 0 or more");'));
    assert.ok(!flagged("if (Math.abs(ctrPercent - expected) > Math.max(0.005, Math.abs(expected) * 1e-9))"));
  });
});
