// `npm start`: the whole lab's detection on this machine, no AWS account (local/lab.ts), with its
// live page on 127.0.0.1 (local/liveView.ts).

import { spawn } from "node:child_process";
import { Command } from "commander";
import { propertyContract } from "../components/analytics";
import { compressionsOf, LAB_WINDOW_SECONDS, runLocalLab } from "../local/lab";
import { startLiveView, type LiveView } from "../local/liveView";
import { numberOption, oneOfNumbers, PORT_RANGE } from "./options";
import { runCli } from "./run";

/** The same default the deployed job and the stack use (one source: the runtime-property contract). */
const DEFAULT_THRESHOLD = Number(propertyContract().groups.Detection!["anomaly.threshold"]!.default);

const COMPRESSIONS = compressionsOf();

export function command(): Command {
  return new Command()
    .name("npm start --")
    .description(
      "Run the lab's detection on this machine: local Kinesis, the Flink job in local mode, the lab's traffic compressed, the alert handler, and a live page of every window on 127.0.0.1. Needs a JDK 11+.",
    )
    .option("--follow", "keep running after the first alert, until the traffic ends")
    .option(
      "-c, --compression <x>",
      `play the lab this many times faster: ${COMPRESSIONS.join(", ")} (the ${LAB_WINDOW_SECONDS}-s windows shrink to match)`,
      oneOfNumbers("--compression", COMPRESSIONS, `it must divide the lab's ${LAB_WINDOW_SECONDS}-second window`),
      5,
    )
    .option(
      "--threshold <score>",
      "alert above this score (the stack's default, from sql/runtime-properties.json)",
      numberOption("--threshold", { above: true }),
      DEFAULT_THRESHOLD,
    )
    .option(
      "--steady-seconds <s>",
      "lab seconds of steady traffic before the burst",
      numberOption("--steady-seconds", { above: true }),
      600,
    )
    .option("--port <n>", "the live page's port on 127.0.0.1, 0 to 65535 (0: any free port)", numberOption("--port", PORT_RANGE), 0)
    .option("--open", "open the live page in the default browser")
    .option("--no-page", "no live page: the table in the terminal only")
    .showHelpAfterError();
}

/** The desktop's own opener; a failure only says to open the URL by hand. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  const child = spawn(cmd, args, { stdio: "ignore", detached: true });
  child.on("error", () => process.stdout.write(`(could not start ${cmd}: open ${url} yourself)\n`));
  child.unref();
}

export async function main(argv: string[]): Promise<number> {
  const cli = command().parse(argv);
  const o = cli.opts<{
    follow?: boolean;
    compression: number;
    threshold: number;
    steadySeconds: number;
    port: number;
    open?: boolean;
    page: boolean;
  }>();
  const windowSeconds = LAB_WINDOW_SECONDS / o.compression;
  let view: LiveView | undefined;
  if (o.page) {
    view = await startLiveView({ threshold: o.threshold, windowSeconds, compression: o.compression, port: o.port }).catch((e: unknown) => {
      if ((e as { code?: string }).code !== "EADDRINUSE") throw e;
      throw new Error(`--port ${o.port} is in use on 127.0.0.1: pick another port, or 0 for any free one.`);
    });
    process.stdout.write(`Live page: ${view.url}  (CTR and score per window, the threshold, the alerts)\n`);
    if (o.open) openInBrowser(view.url);
  }
  try {
    const code = await runLocalLab({
      follow: o.follow,
      compression: o.compression,
      threshold: o.threshold,
      steadySeconds: o.steadySeconds,
      windowSeconds,
      ...(view ? { events: view.events } : {}),
    });
    view?.events.ended(
      code === 0 ? "the run ended; the alert above is the lab's." : "the run ended without the lab's alert; see the terminal.",
    );
    return code;
  } finally {
    await view?.close();
  }
}

if (require.main === module) runCli(main);
