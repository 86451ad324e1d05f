// Which folder may import which, checked by `npm run lint` (dependency-cruiser). The layers follow
// the data and the control flow, top to bottom; a folder imports only folders below it:
//
//   cli/                           one thin file per command: options, start-up, rendering
//   workshop/  local/  bench/      the instructor's event, the lab on this machine, the benchmarks
//   offline/                       the fake AWS account, the offline plan, moto, the engine sandbox
//   infra/                         the Pulumi program: config, names, the team stack
//   components/                    the ComponentResources
//   lambda/  traffic/              the alert handler, the traffic generator
//   paths.ts  secretFile.ts        where things live in the repository; how a file with a secret is written
//
// Beside the layers: policy/ (the CrossGuard pack) loads on its own and imports nothing of ours;
// test/ may import anything and nothing but test/ imports it. Type-only imports count: a cycle or
// an upward import through a type still ties the two files' changes together.

/** Paths of a set of top-level folders (and root files), as one regular expression. */
const under = (...parts) => `^(${parts.map((p) => (p.endsWith(".ts") ? p.replace(/\./g, "\\.") + "$" : `${p}/`)).join("|")})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "No cycles anywhere: two modules that import each other (even through a type) can only be understood, tested and moved together. Break one by moving what both need into a third module.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "cli-is-the-top",
      comment:
        "cli/ holds the commands: parsing options, printing and exit codes. Nothing below may depend on how a command is invoked; put shared logic in the layer that owns it and let cli/ call it.",
      severity: "error",
      from: { pathNot: under("cli", "test") },
      to: { path: under("cli") },
    },
    {
      name: "bench-is-a-leaf",
      comment: "bench/ measures the other folders and prints figures; nothing may run because a benchmark exists.",
      severity: "error",
      from: { pathNot: under("bench", "test") },
      to: { path: under("bench") },
    },
    {
      name: "workshop-and-local-apart",
      comment:
        "workshop/ (an event in the cloud) and local/ (the lab on this machine) are two uses of the same lower layers; one importing the other would make a laptop run depend on the event's code or the reverse. Shared code goes down a layer. (bench/ may import both: it measures them.)",
      severity: "error",
      from: { path: under("workshop") },
      to: { path: under("local") },
    },
    {
      name: "local-and-workshop-apart",
      comment: "The same rule the other way round: local/ does not import workshop/.",
      severity: "error",
      from: { path: under("local") },
      to: { path: under("workshop") },
    },
    {
      name: "offline-below-the-programs",
      comment:
        "offline/ (the fake AWS account, the offline plan) is what the commands, the event and the local lab are checked and planned with; it cannot depend on them.",
      severity: "error",
      from: { path: under("offline") },
      to: { path: under("cli", "workshop", "local", "bench") },
    },
    {
      name: "infra-below-offline",
      comment:
        "infra/ is the Pulumi program. The plan and the fake account run it; the program itself must run the same with or without them (on the real engine, against AWS).",
      severity: "error",
      from: { path: under("infra") },
      to: { path: under("cli", "workshop", "local", "bench", "offline") },
    },
    {
      name: "components-below-infra",
      comment:
        "components/ are reusable ComponentResources: they take everything through their Args and know nothing of the stack's configuration, the program that composes them or the tools above.",
      severity: "error",
      from: { path: under("components") },
      to: { path: under("cli", "workshop", "local", "bench", "offline", "infra") },
    },
    {
      name: "lambda-and-traffic-at-the-bottom",
      comment:
        "lambda/ is bundled into the alert function and traffic/ is the generator: both run without Pulumi and without the program, so they import none of the layers above (and not each other).",
      severity: "error",
      from: { path: under("lambda", "traffic") },
      to: { path: under("cli", "workshop", "local", "bench", "offline", "infra", "components") },
    },
    {
      name: "lambda-and-traffic-apart",
      comment: "The alert handler and the traffic generator are two ends of the data path; neither needs the other's code.",
      severity: "error",
      from: { path: under("lambda") },
      to: { path: under("traffic") },
    },
    {
      name: "traffic-and-lambda-apart",
      comment: "The same rule the other way round: traffic/ does not import lambda/.",
      severity: "error",
      from: { path: under("traffic") },
      to: { path: under("lambda") },
    },
    {
      name: "paths-is-the-bottom",
      comment:
        "paths.ts (where things live) and secretFile.ts (how a file with a secret is written) are imported by every layer; importing anything of ours would make them a cycle waiting to happen.",
      severity: "error",
      from: { path: under("paths.ts", "secretFile.ts") },
      to: { path: under("cli", "workshop", "local", "bench", "offline", "infra", "components", "lambda", "traffic", "policy", "test") },
    },
    {
      name: "policy-loads-alone",
      comment:
        "The engine starts the policy pack from its own folder (--policy-pack policy): it may import only @pulumi/* and its own files, or it fails to load where the rest of the repository is not beside it. (Its entry point, main.js, also loads tsx, which runs the pack's TypeScript without type-checking it again: issue 24.)",
      severity: "error",
      from: { path: under("policy") },
      // Node.js's own modules are everywhere the pack runs (main.js turns on its compile cache).
      to: { pathNot: "^policy/|(^|/)node_modules/(@pulumi|tsx)/", dependencyTypesNot: ["core"] },
    },
    {
      name: "infra-shares-only-the-limits",
      comment:
        "The program refuses at config time what the pack would refuse at `pulumi up`, from the same numbers: infra/ imports policy/limits.ts (the shared limits and the endsAt grammar) and nothing else of the pack.",
      severity: "error",
      from: { path: under("infra") },
      to: { path: under("policy"), pathNot: "^policy/limits\\.ts$" },
    },
    {
      name: "no-pack-below-infra",
      comment:
        "components/, lambda/, traffic/ and paths.ts take their limits through Args or their own settings; the pack judges what they build and is not part of it.",
      severity: "error",
      from: { path: under("components", "lambda", "traffic", "paths.ts") },
      to: { path: under("policy") },
    },
    {
      name: "fake-account-shares-no-validator",
      comment:
        "offline/fakeAws/ stands for AWS: its rules follow AWS's documented formats and share no validator or constant with the code they check, or a mistake in ours would pass its own check. Where a rule is written twice on purpose, a test ties the copies (test/offline/passwordCopies.test.ts).",
      severity: "error",
      from: { path: "^offline/fakeAws/" },
      to: { path: under("infra", "components", "policy", "lambda", "traffic") },
    },
    {
      name: "only-tests-import-tests",
      comment:
        "Test code (fakes, fixtures, harnesses) is not shipped or supported: a command, a library or a benchmark that imports it breaks when a test changes. Move what is needed into the layer that owns it and let the test import that.",
      severity: "error",
      from: { pathNot: under("test") },
      to: { path: under("test") },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing is a file that moved without its importers following.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|analytics|\\.workshop|\\.venv|test-artifacts|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
