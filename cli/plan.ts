// `npm run plan -- --stack <name> [--json]`: the real program run offline against the fake AWS
// account (offline/plan.ts): every resource with its physical name and key settings, and the outputs.

import { Command } from "commander";
import { formatPlan, planStack } from "../offline/plan";
import { runCli } from "./run";

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("npm run plan --")
    .description("Run the Pulumi program offline against a mock AWS account and list what it would create.")
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to use (dev, workshop, ...)")
    .option("--json", "print the plan as JSON")
    .showHelpAfterError()
    .parse(argv);
  const opts = program.opts<{ stack: string; json?: boolean }>();
  const plan = await planStack(opts.stack);
  process.stdout.write((opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan)) + "\n");
}

if (require.main === module) runCli(main);
