// The program's entry point as the engine starts it (Pulumi.yaml `main`, with the runtime option
// `typescript: false`). With `typescript: true`, @pulumi/pulumi's launcher registers ts-node, which
// type-checks the program and @pulumi/aws's declarations on every preview and up (about 15
// CPU-seconds and 1 GB per run) unless PULUMI_NODEJS_TRANSPILE_ONLY=true is in the environment of
// whoever runs `pulumi`: the instructor CLI can set it, a hand `pulumi up` does not. Here the
// program's files go through tsx instead (esbuild, transpile only), whatever the environment, as the
// policy pack's do (policy/main.js). The type check happens once per change instead: `npm run
// typecheck`, and infra/index.ts before anything is registered (infra/typecheck.ts). Issue 24;
// figures in docs/benchmarks.md.
// V8's code cache on disk (Node.js module compile cache, os.tmpdir()/node-compile-cache unless
// NODE_COMPILE_CACHE says otherwise; NODE_DISABLE_COMPILE_CACHE=1 turns it off): without it the
// program compiles @pulumi/aws and the rest from source on every run (docs/benchmarks.md). A quiet
// optimisation: Node.js goes on without it where it cannot write the cache.
require("node:module").enableCompileCache?.();
require("tsx/cjs/api").register();
module.exports = require("./index.ts");
