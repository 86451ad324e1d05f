// The alert Lambda's bundle is kept between runs (lambda/bundle.ts): the kept text must be the
// bundle esbuild would build now, so a change to any file it was built from builds it again.

import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { ALERT_ENTRY, BUNDLE_OPTIONS, bundleAlert } from "../../lambda/bundle";

describe("the alert Lambda's bundle", () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bundle-"));
    cache = join(dir, "cache", "bundle.json");
    writeFileSync(join(dir, "tsconfig.json"), "{}");
    writeFileSync(join(dir, "entry.ts"), 'import { word } from "./word";\nexport const handler = (): string => word;\n');
    writeFileSync(join(dir, "word.ts"), 'export const word: string = "first";\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is the same text esbuild builds, kept or not", () => {
    const fresh = buildSync({ ...BUNDLE_OPTIONS, entryPoints: [ALERT_ENTRY] }).outputFiles[0]!.text;
    const first = bundleAlert(ALERT_ENTRY, cache);
    assert.equal(first, fresh);
    assert.equal(bundleAlert(ALERT_ENTRY, cache), fresh, "the kept bundle differs from esbuild's");
  });

  it("is built again when a file it imports changes", () => {
    assert.match(bundleAlert(join(dir, "entry.ts"), cache), /first/);
    writeFileSync(join(dir, "word.ts"), 'export const word: string = "second";\n');
    const again = bundleAlert(join(dir, "entry.ts"), cache);
    assert.match(again, /second/);
    assert.doesNotMatch(again, /first/);
  });

  it("is built again when the entry changes, or the kept file is another entry's or unreadable", () => {
    assert.match(bundleAlert(join(dir, "entry.ts"), cache), /first/);
    writeFileSync(join(dir, "other.ts"), 'export const handler = (): string => "other";\n');
    assert.match(bundleAlert(join(dir, "other.ts"), cache), /other/);
    writeFileSync(cache, "{ not json");
    assert.match(bundleAlert(join(dir, "entry.ts"), cache), /first/);
    writeFileSync(join(dir, "entry.ts"), 'export const handler = (): string => "rewritten";\n');
    assert.match(bundleAlert(join(dir, "entry.ts"), cache), /rewritten/);
  });

  it("is built again when the tsconfig esbuild reads changes", () => {
    writeFileSync(join(dir, "entry.ts"), "export class A { x = 1; }\n");
    const withDefine = bundleAlert(join(dir, "entry.ts"), cache);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { useDefineForClassFields: false } }));
    assert.notEqual(bundleAlert(join(dir, "entry.ts"), cache), withDefine);
  });
});
