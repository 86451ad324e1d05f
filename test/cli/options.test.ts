// Options are what their help says, nothing else (issue #26, kind 3): numbers are plain decimals in
// range, a compression divides the window, an endpoint is a URL, a mistyped required option is
// named as a typo. The parsers in-process first, then each command as a user runs it.

import { strict as assert } from "node:assert";
import { createServer } from "node:net";
import { Command, InvalidArgumentError } from "commander";
import { numberOption, oneOfNumbers, PORT_RANGE, typosBeforeRequired, urlOption } from "../../cli/options";
import { compressionsOf, LAB_WINDOW_SECONDS } from "../../local/lab";
import { propertyContract } from "../../components/analytics";
import { main as start } from "../../cli/start";
import { main as traffic } from "../../cli/traffic";
import { main as workshop } from "../../cli/workshop";
import { runInProcess, runTool } from "../support/cli";

const refuses = (parse: (v: string) => unknown, v: string, message: RegExp) =>
  assert.throws(
    () => parse(v),
    (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message),
    JSON.stringify(v),
  );

describe("command-line options", function () {
  this.timeout(60_000);

  describe("numbers", () => {
    const port = numberOption("--port", PORT_RANGE);

    it("refuses what Number() takes but a user did not mean: '', hex, exponents, blanks, Infinity (the reported --port inputs)", () => {
      for (const v of ["", " ", "0x50", "0o17", "0b1", "1e3", "8e1", " 80", "80 ", "Infinity", "NaN", "80.", "+", "-"])
        refuses(port, v, /^--port must be a whole number from 0 to 65535, written in decimal digits; not ".*"\.$/);
    });

    it("refuses numbers out of range, naming the option and the range", () => {
      refuses(port, "65536", /--port must be a whole number from 0 to 65535/);
      refuses(port, "-1", /--port must be a whole number from 0 to 65535/);
      refuses(port, "80.5", /--port must be a whole number/);
      refuses(numberOption("--rate", { above: true }), "0", /^--rate must be a number above 0,/);
      refuses(numberOption("--seed", { integer: true }), "99999999999999999999", /--seed must be a whole number/);
      refuses(numberOption("--steady-seconds"), "1e400", /--steady-seconds must be a number of at least 0/);
    });

    it("takes plain decimals", () => {
      assert.equal(port("0"), 0);
      assert.equal(port("8080"), 8080);
      assert.equal(port("65535"), 65535);
      assert.equal(numberOption("--rate", { above: true })("0.5"), 0.5);
      assert.equal(numberOption("--rate", { above: true })(".5"), 0.5);
      assert.equal(numberOption("--hours")("6"), 6);
    });
  });

  describe("--compression of npm start", () => {
    it("takes the divisors of the lab's window, read from sql/runtime-properties.json, not written down", () => {
      assert.equal(LAB_WINDOW_SECONDS, Number(propertyContract().groups.Detection!["window.seconds"]!.default));
      assert.deepEqual(compressionsOf(10), [1, 2, 5, 10]);
      assert.deepEqual(compressionsOf(12), [1, 2, 3, 4, 6, 12]);
      assert.deepEqual(compressionsOf(1), [1]);
    });

    it("refuses 0.5 (it divides 10 into a whole 20, but the help says 1, 2, 5 or 10), 3, 20, 1e1 and 0x5", () => {
      const compression = oneOfNumbers("--compression", compressionsOf(10), "it must divide the lab's 10-second window");
      for (const v of ["0.5", "3", "20", "1e1", "0x5", "", "2.5"])
        refuses(compression, v, /^--compression must be one of 1, 2, 5 or 10 \(it must divide the lab's 10-second window\); not ".*"\.$/);
      assert.equal(compression("10"), 10);
      assert.equal(compression("5.0"), 5);
    });
  });

  describe("--endpoint", () => {
    it("names the option for something that is not an http(s) URL (the reported input: not-a-url)", () => {
      const endpoint = urlOption("--endpoint");
      for (const v of ["not-a-url", "", "127.0.0.1:5000", "ftp://127.0.0.1", "http://", "file:///tmp/x"])
        refuses(endpoint, v, /^--endpoint must be an http or https URL such as http:\/\/127\.0\.0\.1:5000; not ".*"\.$/);
      assert.equal(endpoint("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
      assert.equal(endpoint("https://kinesis.us-east-1.amazonaws.com"), "https://kinesis.us-east-1.amazonaws.com");
    });
  });

  describe("a mistyped required option", () => {
    it("is named as a typo with a suggestion, before the required option is missed", () => {
      const errors: string[] = [];
      const cli = new Command().exitOverride().configureOutput({ writeErr: (t) => errors.push(t), writeOut: () => undefined });
      cli.addCommand(new Command("provision").requiredOption("-r, --roster <file>", "the roster").action(() => undefined));
      typosBeforeRequired(cli);
      for (const sub of cli.commands) sub.exitOverride().configureOutput({ writeErr: (t) => errors.push(t), writeOut: () => undefined });
      assert.throws(() => cli.parse(["node", "x", "provision", "--rooster", "teams.csv"]));
      assert.match(errors.join(""), /unknown option '--rooster'\s+\(Did you mean --roster\?\)/);
      errors.length = 0;
      assert.throws(() => cli.parse(["node", "x", "provision"]));
      assert.match(errors.join(""), /required option '-r, --roster <file>' not specified/);
    });
  });

  // In-process through the command's main and runCli (test/support/cli.ts); npm start's first case
  // in a process of its own, for the entry point and the real exit code.
  describe("as each command runs them", () => {
    it("npm start: --port '' and --compression 0.5 are refused naming the option, before anything starts", async () => {
      for (const [args, message, run] of [
        [["--port", ""], /--port must be a whole number from 0 to 65535, written in decimal digits; not ""/, "process"],
        [["--compression", "0.5"], /--compression must be one of 1, 2, 5 or 10/, "in-process"],
      ] as const) {
        const r = run === "process" ? await runTool("cli/start.ts", [...args]) : await runInProcess("cli/start.ts", start, [...args]);
        assert.notEqual(r.code, 0, args.join(" "));
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stdout, /Local Kinesis|Flink/);
      }
    });

    it("npm start: a port in use is named as --port, not a bare EADDRINUSE", async () => {
      const busy = createServer();
      await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
      const port = (busy.address() as { port: number }).port;
      try {
        const r = await runInProcess("cli/start.ts", start, ["--port", String(port)]);
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          new RegExp(`^--port ${port} is in use on 127\\.0\\.0\\.1: pick another port, or 0 for any free one\\.$`, "m"),
        );
        assert.doesNotMatch(r.stdout, /Local Kinesis|Flink/);
      } finally {
        busy.close();
      }
    });

    it("workshop: --endpoint not-a-url names --endpoint; provision --rooster suggests --roster", async () => {
      const endpoint = await runInProcess("cli/workshop.ts", workshop, ["--endpoint", "not-a-url", "status"]);
      assert.notEqual(endpoint.code, 0);
      assert.match(endpoint.stderr, /--endpoint must be an http or https URL such as http:\/\/127\.0\.0\.1:5000; not "not-a-url"/);
      const typo = await runInProcess("cli/workshop.ts", workshop, ["provision", "--rooster", "teams.csv"]);
      assert.notEqual(typo.code, 0);
      assert.match(typo.stderr, /unknown option '--rooster'\s+\(Did you mean --roster\?\)/);
      const extend = await runInProcess("cli/workshop.ts", workshop, ["extend", "--untill", "2027-01-01T00:00:00Z"]);
      assert.match(extend.stderr, /unknown option '--untill'\s+\(Did you mean --until\?\)/);
    });

    it("traffic: --endpoint not-a-url names --endpoint; --profile is an AWS profile and the pattern is --pattern", async () => {
      const endpoint = await runInProcess("cli/traffic.ts", traffic, ["--stream", "a", "--endpoint", "not-a-url"]);
      assert.notEqual(endpoint.code, 0);
      assert.match(endpoint.stderr, /--endpoint must be an http or https URL/);
      const old = await runInProcess("cli/traffic.ts", traffic, ["--stream", "a", "--profile", "steady"]);
      assert.notEqual(old.code, 0);
      assert.match(
        old.stderr,
        /--profile names an AWS profile, as in every AWS tool; the traffic pattern is --pattern \(--pattern steady\)/,
      );
      const help = await runInProcess("cli/traffic.ts", traffic, ["--help"]);
      assert.match(help.stdout, /--pattern <name> +what to send: the traffic pattern/);
      assert.match(help.stdout, /--profile <aws-profile> +the AWS profile to send with/);
    });
  });
});
