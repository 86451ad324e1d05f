// `npm start`'s entry (cli/start.ts) with a way for a test to break it from inside, as a bug
// would: a line on stdin, "throw" (an exception nobody catches) or "oom" (allocate until V8's heap
// limit ends the process; run it with a small --max-old-space-size). Everything else is the real
// lab: local Kinesis, the Flink JVM, the reaper.

import { main } from "../../cli/start";
import { runCli } from "../../cli/run";

const hog: number[][] = [];
process.stdin.setEncoding("utf8");
process.stdin.on("data", (line: string) => {
  if (line.includes("throw"))
    setTimeout(() => {
      throw new Error("a fault injected by the test");
    });
  if (line.includes("oom"))
    setTimeout(() => {
      for (;;) hog.push(Array.from({ length: 100_000 }, (_, i) => i * Math.random()));
    });
});
runCli(main);
