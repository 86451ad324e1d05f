// `npm run config:schema`: writes Pulumi.yaml's `config:` block from the schema in infra/config.ts,
// its one source. `--check` only says whether the committed file is current (a test does the same).

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { withGeneratedConfig } from "../infra/stackFiles";
import { ROOT } from "../paths";
import { runCli } from "./run";

/** Exit 1 with `--check` when Pulumi.yaml is not what the schema generates; otherwise writes it. */
export function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("npm run config:schema --")
    .description("Write Pulumi.yaml's config: block from infra/config.ts SCHEMA, the schema's one source.")
    .option("--check", "only check: exit 1 when Pulumi.yaml differs from what the schema generates")
    .showHelpAfterError()
    .parse(argv);
  const { check } = program.opts<{ check?: boolean }>();
  const file = join(ROOT, "Pulumi.yaml");
  const now = readFileSync(file, "utf8");
  const generated = withGeneratedConfig(now);
  if (generated === now) {
    process.stdout.write("Pulumi.yaml is current.\n");
    return Promise.resolve(0);
  }
  if (check) {
    process.stderr.write("Pulumi.yaml's config: block differs from infra/config.ts SCHEMA: run npm run config:schema\n");
    return Promise.resolve(1);
  }
  writeFileSync(file, generated);
  process.stdout.write("Pulumi.yaml: config: block written from infra/config.ts SCHEMA.\n");
  return Promise.resolve(0);
}

if (require.main === module) runCli(main);
