// `npm start`: the whole lab's detection on this machine, no AWS account (local/lab.ts).

import { Command } from "commander";
import { runLocalLab } from "../local/lab";
import { numberOption } from "./options";
import { runCli } from "./run";

export function command(): Command {
  return new Command()
    .name("npm start --")
    .description("Run the lab's detection on this machine: local Kinesis, the Flink job in local mode, the lab's traffic compressed, the alert handler. Needs a JDK 11+.")
    .option("--follow", "keep running after the first alert, until the traffic ends")
    .option("-c, --compression <x>", "play the lab this many times faster: 1, 2, 5 or 10 (windows shrink to match)", numberOption("--compression", { above: true }), 5)
    .option("--threshold <score>", "alert above this score (the lab: 2)", numberOption("--threshold", { above: true }), 2)
    .option("--steady-seconds <s>", "lab seconds of steady traffic before the burst", numberOption("--steady-seconds", { above: true }), 600)
    .showHelpAfterError();
}

export async function main(argv: string[]): Promise<number> {
  const cli = command().parse(argv);
  const o = cli.opts<{ follow?: boolean; compression: number; threshold: number; steadySeconds: number }>();
  // Windows shrink with the compression and Flink SQL's INTERVAL takes whole seconds here.
  if (!Number.isInteger(10 / o.compression)) cli.error("error: --compression must divide the lab's 10-second window: 1, 2, 5 or 10.");
  return runLocalLab({ ...o, windowSeconds: 10 / o.compression });
}

if (require.main === module) runCli(main);
