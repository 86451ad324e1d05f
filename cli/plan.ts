// `npm run plan -- --stack <name> [--json]`: the real program run offline against the fake AWS
// account (offline/plan.ts): every resource with its physical name and key settings, and the outputs.

import { Command } from "commander";
import { planStack, type Plan } from "../offline/plan";
import { runCli } from "./run";
import { renderTable } from "./table";

/**
 * The plan as text: the stack and what was assumed, one row per resource (type shortened to
 * aws:<module>:<Type>, logical name, physical name, key settings as key=value), then the outputs.
 */
export function formatPlan(plan: Plan): string {
  const rows = plan.resources.map((r) => [
    r.type.replace(/^aws:([a-z0-9]+)\/[A-Za-z0-9]+:/, "aws:$1:"),
    r.name,
    r.physicalName,
    Object.entries(r.settings)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" "),
  ]);
  return [
    `Stack ${plan.stack} of ${plan.project}: ${plan.resources.length} resources (offline plan, mock account)`,
    ...Object.entries(plan.assumed).map(([k, v]) => `Assumed ${k}: ${v} (not set in Pulumi.${plan.stack}.yaml)`),
    "",
    renderTable(["TYPE", "LOGICAL NAME", "PHYSICAL NAME", "KEY SETTINGS"], rows).trimEnd(),
    "",
    "Outputs:",
    ...Object.entries(plan.outputs).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
  ].join("\n");
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("npm run plan --")
    .description("Run the Pulumi program offline against a mock AWS account and list what it would create.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to use (dev, workshop, ...) (required)")
    .option("--json", "print the plan as JSON")
    .showHelpAfterError()
    .parse(argv);
  const opts = program.opts<{ stack: string; json?: boolean }>();
  // Checked after parsing, so that a mistyped option (--stak) is named first, with a suggestion.
  if (!opts.stack) program.error("error: required option '-s, --stack <name>' not specified");
  const plan = await planStack(opts.stack);
  process.stdout.write((opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan)) + "\n");
}

if (require.main === module) runCli(main);
