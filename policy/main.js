// The pack's entry point, as the engine starts it (package.json "main"). @pulumi/pulumi's
// run-policy-pack type-checks every TypeScript file of a pack through ts-node (typeCheck: true, no
// setting turns it off): 11 CPU-seconds and 810 MB on each preview and up, for code that `npm run
// typecheck` already checks and the program's own check (infra/typecheck.ts) checks on every change.
// So the pack's files go through tsx instead (esbuild, transpile only): 1.4 CPU-seconds, 170 MB
// (issue 24; measured by `npm run bench:stack`, docs/benchmarks.md).
// V8's code cache on disk (Node.js module compile cache, os.tmpdir()/node-compile-cache unless
// NODE_COMPILE_CACHE says otherwise; NODE_DISABLE_COMPILE_CACHE=1 turns it off): without it the
// pack compiles @pulumi/aws and the rest from source on every run (docs/benchmarks.md). A quiet
// optimisation: Node.js goes on without it where it cannot write the cache.
require("node:module").enableCompileCache?.();
require("tsx/cjs/api").register();
module.exports = require("./index.ts");
