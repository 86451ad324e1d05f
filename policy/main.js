// The pack's entry point, as the engine starts it (package.json "main"). @pulumi/pulumi's
// run-policy-pack type-checks every TypeScript file of a pack through ts-node (typeCheck: true, no
// setting turns it off): 11 CPU-seconds and 810 MB on each preview and up, for code that `npm run
// typecheck` already checks and the program's own check (infra/typecheck.ts) checks on every change.
// So the pack's files go through tsx instead (esbuild, transpile only): 1.4 CPU-seconds, 170 MB
// (issue 24; measured by `npm run bench:stack`, docs/benchmarks.md).
require("tsx/cjs/api").register();
module.exports = require("./index.ts");
