// A first run without the Pulumi CLI (issue 23): the instructor CLI names it and its install page
// before any team starts, instead of every team failing with "spawn pulumi ENOENT".

import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MISSING_PULUMI, PulumiWorkspace } from "../../workshop/pulumiWorkspace";

describe("the Pulumi CLI missing from PATH", () => {
  it("is named with its install page when the workspace is made", () => {
    const empty = mkdtempSync(join(tmpdir(), "no-pulumi-"));
    assert.throws(
      () => new PulumiWorkspace({ env: { PATH: empty, PULUMI_CONFIG_PASSPHRASE: "x" }, workDir: empty }),
      (e: Error) => e.message === MISSING_PULUMI && /https:\/\/www\.pulumi\.com\/docs\/iac\/download-install\//.test(e.message),
    );
  });
});
