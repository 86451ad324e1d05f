import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { specsOf } from "../../cli/workshop/provision";
import { parse } from "csv-parse/sync";
import { main, program } from "../../cli/workshop";
import { formatRoster } from "../../cli/workshop/roster";
import { SCHEMA } from "../../infra/config";
import { teamNames } from "../../infra/naming";
import { ROOT } from "../../paths";
import { runInProcess, runTool } from "../support/cli";

/** The command in-process (test/support/cli.ts); its --help below runs in a process of its own. */
const workshop = (args: string[], env: Record<string, string | undefined> = {}) => runInProcess("cli/workshop.ts", main, args, env);

describe("npm run workshop", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "workshop-"));
  // The committed event profile sets no endsAt (an event lasts at most 14 days from provisioning):
  // the instructor sets it, as these tests do, in a copy of the project folder.
  const project = mkdtempSync(join(tmpdir(), "workshop-project-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
  const endsAt = new Date(Date.now() + 4 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  writeFileSync(
    join(project, "Pulumi.workshop.yaml"),
    `${readFileSync(join(ROOT, "Pulumi.workshop.yaml"), "utf8")}  clickstream-lab:endsAt: "${endsAt}"\n`,
  );

  it("has help for every command", async function () {
    // One tsx start-up proves the entry point prints its help; the subcommands' help comes from the
    // same commander program in-process (ten more start-ups passed a minute on a loaded machine).
    const top = await runTool("cli/workshop.ts", ["--help"]);
    assert.equal(top.code, 0);
    for (const c of ["preflight", "provision", "status", "smoke", "cost", "outputs", "roster", "update", "handout", "extend", "destroy"])
      assert.match(top.stdout, new RegExp(`\\n  ${c}\\b`), c);
    const expect: Record<string, string[]> = {
      preflight: ["--roster", "--concurrency", "--quotas", "--json", "--no-sms", "--texts-per-phone", "--minutes-per-stack"],
      provision: ["--roster", "--concurrency", "--attempts", "--quotas", "--validate-only", "--skip-preflight", "--no-sms"],
      status: ["--team", "--concurrency"],
      smoke: ["--team", "--compression", "--steady-seconds", "--timeout", "--poll", "--concurrency"],
      cost: ["--team", "--cap", "--stop-over-cap", "--concurrency"],
      outputs: [],
      roster: ["--format", "csv", "md", "html", "--out"],
      update: ["--canary", "--concurrency", "--dry-run", "--check", "--check-timeout", "--attempts"],
      handout: ["--out", "--out-dir", "--team", "--link", "--time-zone", "--guide"],
      extend: ["--until", "--team", "--concurrency", "--attempts"],
      destroy: ["--team", "--all", "--expired", "--concurrency"],
    };
    const subcommands = new Map(program().commands.map((c) => [c.name(), c]));
    for (const [c, flags] of Object.entries(expect)) {
      const help = subcommands.get(c)?.helpInformation();
      assert.ok(help, `no subcommand ${c}`);
      assert.ok(help.length > 0 && help.includes(c), c);
      for (const f of flags) assert.ok(help.includes(f), `${c} --help mentions ${f}`);
    }
  });

  // What stopping does to the next update is decided in workshop/rollout.ts (a stopped team whose
  // event runs is set aside); the instructor who stops teams reads it in cost's help first.
  it("cost --help says that update then sets the stopped teams aside, and that --include-stopped includes them", () => {
    const help = program()
      .commands.find((c) => c.name() === "cost")!
      .helpInformation()
      .replace(/\s+/g, " ");
    assert.match(help, /--stop-over-cap .*update then sets those teams aside \(update --include-stopped includes them\)/);
  });

  it("rejects a roster with a duplicate team, an invalid e-mail and an invalid phone, naming all three, touching no stack", async () => {
    const roster = join(dir, "bad.csv");
    writeFileSync(roster, "team,email,phone\nt1,a@example.com,\nt1,b@example.com,\nt3,nope,\nt4,d@example.com,12345\n");
    const state = join(dir, "state.json");
    // No passphrase and no Pulumi CLI here: reaching the workspace would fail differently.
    const r = await workshop(["--state", state, "--project", project, "provision", "--roster", roster], { PULUMI_CONFIG_PASSPHRASE: "" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /The roster has 3 problems; no stack was touched\./);
    assert.match(r.stderr, /line 3, team: "t1" is already on line 2/);
    assert.match(r.stderr, /line 4, email: "nope"/);
    assert.match(r.stderr, /line 5, phone: "12345"/);
  });

  it("validates a good roster against documented quotas without touching anything", async () => {
    const roster = join(dir, "good.csv");
    writeFileSync(roster, "team,email\nt1,a@example.com\nt2,b@example.com\n");
    const r = await workshop(["--project", project, "provision", "--roster", roster, "--validate-only", "--quotas", "documented"]);
    assert.equal(r.code, 0, r.stderr);
    // Offline, no account was asked: the split says so rather than guess one.
    assert.match(r.stderr, /Roster: 2 team\(s\), all valid: 2 in an account not asked \(default credentials\)\./);
  });

  it("shows status from the state file", async () => {
    const state = join(dir, "status.json");
    writeFileSync(
      state,
      JSON.stringify({
        teams: {
          t1: {
            stack: "immersion-day-t1",
            status: "failed",
            configHash: "",
            endsAt: "2026-11-28T18:00:00Z",
            updatedAt: "2026-11-28T09:00:00Z",
            error: "boom\nmore",
          },
        },
      }),
    );
    const r = await workshop(["--state", state, "status"]);
    assert.match(r.stdout, /^TEAM +STACK +STATUS/m);
    assert.match(r.stdout, /t1 +immersion-day-t1 +failed .* boom$/m);
  });

  it("refuses destroy without saying which teams", async () => {
    const r = await workshop(["destroy"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /name exactly one of --team, --all or --expired/);
  });

  it("builds each team's stack from the event profile plus its row", () => {
    const [s] = specsOf(
      [{ line: 2, team: "t1", email: "a@example.com", phone: "+15555550100", profile: "p" }],
      { event: "immersion-day", region: "us-east-1", kdgPassword: "x" },
      "clickstream-lab",
    );
    assert.equal(s!.stack, "immersion-day-t1");
    assert.equal(s!.profile, "p");
    assert.deepEqual(s!.config["clickstream-lab:notificationEmail"], { value: "a@example.com", secret: false });
    assert.deepEqual(s!.config["clickstream-lab:kdgPassword"], { value: "x", secret: true });
    // Issue 23: the provider itself gets the profile, and refuses any account but the row's.
    assert.deepEqual(s!.config["clickstream-lab:awsProfile"], { value: "p", secret: false });
    const [guarded] = specsOf(
      [{ line: 2, team: "t2", email: "b@example.com", profile: "p", accountId: "222222222222" }],
      { event: "immersion-day" },
      "clickstream-lab",
    );
    assert.deepEqual(guarded!.config["clickstream-lab:allowedAccountIds"], { value: "222222222222", secret: false });
  });

  it("names a team's stack as its resources are named, with the project's default event when the profile sets none", () => {
    const [s] = specsOf([{ line: 2, team: "t1", email: "a@example.com" }], {}, "clickstream-lab");
    assert.equal(s!.stack, `${SCHEMA.event.default}-t1`);
    assert.equal(s!.stack, teamNames(SCHEMA.event.default, "t1").prefix);
    assert.equal(s!.config["clickstream-lab:event"], undefined, "the default is the stack's own, not written into its config");
  });

  it("formats the hand-out as CSV, Markdown and escaped HTML", () => {
    const dash = "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/e-t1-clickstream";
    const rows = [["t1", "https://kdg/?a=1&b=2", "kdg-user", 'p<w>"d,', dash]];
    assert.equal(
      formatRoster(rows, "csv"),
      `team,KDG URL,username,password,dashboard\nt1,https://kdg/?a=1&b=2,kdg-user,"p<w>""d,",${dash}\n`,
    );
    // A lone carriage return is a line break to a spreadsheet: the field is quoted (the hand-written
    // quoting quoted only commas, quotes and \n), and every field reads back as it was.
    const tricky = [
      ["t2", "https://kdg/", "u", "a\rb", ""],
      ["t3", "https://kdg/", "u", 'a\r\nb,"c', ""],
    ];
    assert.match(formatRoster(tricky, "csv"), /^t2,https:\/\/kdg\/,u,"a\rb",$/m);
    assert.deepEqual(parse(formatRoster(tricky, "csv")), [["team", "KDG URL", "username", "password", "dashboard"], ...tricky]);
    assert.match(formatRoster(rows, "md"), /^\| team \| KDG URL \| username \| password \| dashboard \|\n\| --- \|/);
    assert.match(
      formatRoster(rows, "html"),
      /<code>p&lt;w&gt;&quot;d,<\/code><\/td><td><a href="https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#dashboards\/dashboard\/e-t1-clickstream">dashboard<\/a>/,
    );
  });
});
