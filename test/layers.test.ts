// The layer rules of .dependency-cruiser.cjs (run by `npm run lint`) catch what they say they do:
// a miniature repository with one planted import per rule must give exactly those violations, and
// the imports the layers allow must give none. Every rule of the config needs a case here, so a new
// rule cannot be a rule that never fires.

import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../paths";

const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

/** Module path → source. Each planted import is named in PLANTED with the rule it breaks. */
const TREE: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    compilerOptions: { module: "node16", moduleResolution: "node16", strict: true, noEmit: true },
    include: ["."],
  }),
  "paths.ts": 'import { g } from "./traffic/g";\nexport const ROOT = g;',
  "secretFile.ts": 'import { t } from "./workshop/r";\nexport const s = t;',
  "cli/c.ts": "export const c = 1;",
  "cli/ok.ts":
    'import { k } from "../components/k";\nimport { LIMIT } from "../policy/limits";\nimport { t } from "../workshop/r";\nexport const ok = [k, LIMIT, t];',
  "bench/b.ts":
    'import { t } from "../test/t";\nimport { l2 } from "../local/l2";\nimport { r } from "../workshop/r";\nexport const b = [t, l2, r];',
  "bench/b2.ts": "export const b2 = 1;",
  "workshop/q.ts": 'import { r } from "./r";\nexport const q = r;',
  "workshop/r.ts": 'import type { q } from "./q";\nexport const r = 1;\nexport const t = 2;\nexport type Q = typeof q;',
  "workshop/w.ts": 'import { b2 } from "../bench/b2";\nimport { l2 } from "../local/l2";\nexport const w = [b2, l2];',
  "local/l2.ts": "export const l2 = 1;",
  "local/lo.ts": 'import { t } from "../workshop/r";\nexport const lo = t;',
  "offline/o.ts": 'import { r } from "../workshop/r";\nexport const o = r;',
  "offline/u.ts": 'import { nothing } from "./nowhere";\nexport const u = nothing;',
  "offline/fakeAws/f.ts": 'import { k } from "../../components/k";\nexport const f = k;',
  "infra/a.ts": 'import { c } from "../cli/c";\nexport const a = c;',
  "infra/i2.ts": 'import { LIMIT } from "../policy/limits";\nexport const i2 = LIMIT;',
  "infra/l.ts": 'import { x } from "../policy/rules/x";\nexport const l = x;',
  "components/k.ts": "export const k = 1;",
  "components/m.ts": 'import { LIMIT } from "../policy/limits";\nexport const m = LIMIT;',
  "components/n.ts": 'import { i2 } from "../infra/i2";\nexport const n = i2;',
  "lambda/h.ts": 'import { g } from "../traffic/g";\nexport const h = g;',
  "lambda/h2.ts": "export const h2 = 1;",
  "traffic/g.ts": "export const g = 1;",
  "traffic/tr.ts": 'import { k } from "../components/k";\nimport { h2 } from "../lambda/h2";\nexport const tr = [k, h2];',
  "policy/limits.ts": "export const LIMIT = 1;",
  "policy/rules/x.ts": 'import { LIMIT } from "../limits";\nexport const x = LIMIT;',
  "policy/p.ts": 'import { ROOT } from "../paths";\nexport const p = ROOT;',
  "test/t.ts": 'import { c } from "../cli/c";\nexport const t = c;',
};

/**
 * Every violation the tree must give, as "rule: from -> to"; nothing else may appear. (A cycle is
 * reported once. test/t.ts importing cli/, cli/ok.ts importing three layers down and bench/b.ts
 * importing workshop/ and local/ are allowed, and must give nothing.)
 */
const PLANTED = [
  "no-circular: workshop/q.ts -> workshop/r.ts",
  "cli-is-the-top: infra/a.ts -> cli/c.ts",
  "bench-is-a-leaf: workshop/w.ts -> bench/b2.ts",
  "workshop-and-local-apart: workshop/w.ts -> local/l2.ts",
  "local-and-workshop-apart: local/lo.ts -> workshop/r.ts",
  "offline-below-the-programs: offline/o.ts -> workshop/r.ts",
  "infra-below-offline: infra/a.ts -> cli/c.ts",
  "components-below-infra: components/n.ts -> infra/i2.ts",
  "lambda-and-traffic-at-the-bottom: traffic/tr.ts -> components/k.ts",
  "lambda-and-traffic-apart: lambda/h.ts -> traffic/g.ts",
  "traffic-and-lambda-apart: traffic/tr.ts -> lambda/h2.ts",
  "paths-is-the-bottom: paths.ts -> traffic/g.ts",
  "paths-is-the-bottom: secretFile.ts -> workshop/r.ts",
  "policy-loads-alone: policy/p.ts -> paths.ts",
  "infra-shares-only-the-limits: infra/l.ts -> policy/rules/x.ts",
  "no-pack-below-infra: components/m.ts -> policy/limits.ts",
  "fake-account-shares-no-validator: offline/fakeAws/f.ts -> components/k.ts",
  "only-tests-import-tests: bench/b.ts -> test/t.ts",
  "not-to-unresolvable: offline/u.ts -> ./nowhere",
].sort();

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
}

describe("the layer rules (.dependency-cruiser.cjs)", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "layers-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("find each planted import, and only those, in a miniature repository", () => {
    for (const [file, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), `${text}\n`);
    }
    const run = spawnSync(join(ROOT, "node_modules", ".bin", "depcruise"), ["--config", CONFIG, "--output-type", "json", "."], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const found = (JSON.parse(run.stdout) as Cruise).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    assert.deepEqual([...new Set(found)].sort(), PLANTED);
  });

  it("have a planted case for every rule of the config", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(CONFIG) as { forbidden: { name: string; comment?: string }[] };
    const covered = new Set(PLANTED.map((p) => p.split(":")[0]));
    for (const rule of config.forbidden) {
      assert.ok(covered.has(rule.name), `rule ${rule.name} has no planted case in test/layers.test.ts`);
      assert.ok((rule.comment ?? "").length > 40, `rule ${rule.name} says why in its comment`);
    }
  });
});
