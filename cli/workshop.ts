// `npm run workshop -- <command>`: the instructor's tool for a whole event. provision takes a
// roster and brings up one team stack per row (workshop/orchestrator.ts over the Automation API);
// status, outputs and roster read what is there; update rolls a change out mid-event; destroy tears down and looks for leftovers.
// Each subcommand lives in cli/workshop/<name>.ts; this file only assembles them.

import { Command } from "commander";
import { PackConfigError } from "../workshop/packConfig";
import { RosterError } from "../workshop/roster";
import { DEFAULT_LOGS, DEFAULT_STATE, defaultDeps, type Deps } from "./workshop/common";
import { costCommand } from "./workshop/cost";
import { destroyCommand } from "./workshop/destroy";
import { extendCommand } from "./workshop/extend";
import { handoutCommand } from "./workshop/handout";
import { outputsCommand } from "./workshop/outputs";
import { preflightCommand } from "./workshop/preflight";
import { provisionCommand } from "./workshop/provision";
import { rosterCommand } from "./workshop/roster";
import { smokeCommand } from "./workshop/smoke";
import { statusCommand } from "./workshop/status";
import { updateCommand } from "./workshop/update";
import { POLICY_PACK_DIR, ROOT } from "../paths";
import { typosBeforeRequired, urlOption } from "./options";
import { runCli } from "./run";

/** The command line; `deps` lets a test run the team checks in-process (fake workspace, moto). */
export function program(deps: Deps = defaultDeps): Command {
  const cli = new Command()
    .name("npm run workshop --")
    .description("Provision, watch, hand out and tear down one lab stack per team of an event.")
    .option("--profile-stack <name>", "stack file every team stack starts from", "workshop")
    .option("--state <file>", "where the tool remembers each team's stack and outcome", DEFAULT_STATE)
    .option("--logs <dir>", "one log file per team", DEFAULT_LOGS)
    .option(
      "--project <dir>",
      "the Pulumi project folder: Pulumi.yaml, the profile stack's file, and where team stack files are written",
      ROOT,
    )
    .option(
      "--policy-pack <path>",
      "the CrossGuard pack every preview and up runs: its folder, or an executable that serves it",
      POLICY_PACK_DIR,
    )
    .option("--policy-pack-config <file>", "the event's own limits for the pack (JSON by policy name, as pulumi's --policy-pack-config)")
    .option(
      "--endpoint <url>",
      "send every team check's AWS calls here instead of AWS (a local endpoint such as moto, for rehearsals and tests)",
      urlOption("--endpoint"),
    )
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nBackend: the local file backend in .workshop/backend unless PULUMI_BACKEND_URL names another;\nPULUMI_CONFIG_PASSPHRASE encrypts secrets. The walkthrough: docs/running-an-event.md.",
    );
  for (const sub of [
    preflightCommand(deps),
    provisionCommand(deps),
    statusCommand(deps),
    smokeCommand(deps),
    costCommand(deps),
    outputsCommand(deps),
    rosterCommand(deps),
    updateCommand(deps),
    handoutCommand(deps),
    extendCommand(deps),
    destroyCommand(deps),
  ])
    cli.addCommand(sub.showHelpAfterError());
  return typosBeforeRequired(cli);
}

/** Runs the command; a roster or a --policy-pack-config with problems exits 2 (bad input), any other failure 1. */
export async function main(argv: string[], deps: Deps = defaultDeps): Promise<number> {
  try {
    await program(deps).parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof RosterError || e instanceof PackConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
}

if (require.main === module) runCli(main);
