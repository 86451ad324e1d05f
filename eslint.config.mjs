// Type-aware linting: the rules that catch floating promises matter in Pulumi programs, where a
// forgotten await silently drops a resource or an assertion.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { functionLength } from "./eslint.function-length.mjs";

export default tseslint.config(
  { ignores: ["node_modules/**", "analytics/**", "dist/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // The repository root and its folders come from paths.ts, so a move is one edit there; a
      // path climbing out of a file's own folder (`join(__dirname, "../..")`) computes it again.
      "no-restricted-syntax": [
        "error",
        {
          selector: 'CallExpression:has(> Identifier[name="__dirname"]):has(> Literal[value=/^\\.\\./])',
          message: "Take the repository's paths from paths.ts (ROOT, ANALYTICS_DIR, ...) instead of climbing out of __dirname.",
        },
      ],
    },
  },
  {
    // Long functions are steps waiting for names; the ones longer today may only shrink.
    files: ["**/*.ts"],
    ignores: ["test/**", "bench/**"],
    plugins: { local: { rules: { "function-length": functionLength } } },
    rules: { "local/function-length": "error" },
  },
  {
    // The mock account, the plan and the local Kinesis read what comes off the wire: untyped JSON.
    // Every rule checks the shape of what it reads, which is the point of those files.
    files: [
      "offline/fakeAws/**/*.ts",
      "local/kinesisServer.ts",
      "offline/plan.ts",
      "cli/cost.ts",
      "test/components/analytics.test.ts",
      "test/components/costGuard.test.ts",
      "test/offline/flinkLife.test.ts",
    ],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-base-to-string": "off",
    },
  },
);
