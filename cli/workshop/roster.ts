// `npm run workshop -- roster`: the hand-out, one row per team that is up.

import { Command, Option } from "commander";
import { stringify } from "csv-stringify/sync";
import { writeSecretFile } from "../../secretFile";
import { fileState } from "../../workshop/state";
import { secretFileOption } from "../options";
import { common, defaultDeps, type Deps } from "./common";

export function rosterCommand(deps: Deps = defaultDeps): Command {
  return new Command("roster")
    .description("the hand-out: team, KDG URL, username, password (decrypted for this export only) and the team's dashboard")
    .addOption(new Option("-f, --format <format>", "output format").choices(["csv", "md", "html"]).default("md"))
    .option(
      "-o, --out <file>",
      "write to a file instead of standard output (owner-only, 0600; replaces, never follows a link)",
      secretFileOption("--out"),
    )
    .action(async (o: { format: "csv" | "md" | "html"; out?: string }, cmd: Command) => {
      const c = common(cmd);
      const ws = deps.workspace(c);
      const rows: string[][] = [];
      for (const [team, r] of Object.entries(fileState(c.state).all()).filter(([, r]) => r.status === "up")) {
        const out = await ws.outputs(r.stack, r.profile);
        const text = (k: string) => (typeof out[k]?.value === "string" ? out[k].value : "");
        rows.push([team, text("kdgUrl"), text("kdgUsername"), text("kdgPassword"), text("dashboardUrl")]);
      }
      deps.err(
        "WARNING: this hand-out contains KDG passwords in clear text. Share it only with the teams, and delete it after the event.\n",
      );
      const text = formatRoster(rows, o.format);
      if (o.out) writeSecretFile(o.out, text, "--out");
      else deps.out(text);
    });
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

/** The hand-out's rows (team, KDG URL, username, password, dashboard URL) as CSV, a Markdown table or an HTML table. */
export function formatRoster(rows: readonly string[][], format: "csv" | "md" | "html"): string {
  const head = ["team", "KDG URL", "username", "password", "dashboard"];
  // RFC 4180 quoting (a field with a comma, a quote or a line break is quoted, quotes doubled) by
  // csv-stringify, the writer that goes with the csv-parse the roster is read with.
  if (format === "csv") return stringify([head, ...rows]);
  if (format === "md")
    return (
      [
        `| ${head.join(" | ")} |`,
        `| ${head.map(() => "---").join(" | ")} |`,
        ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
      ].join("\n") + "\n"
    );
  return `<table>\n<tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>\n${rows.map((r) => `<tr><td>${esc(r[0]!)}</td><td><a href="${esc(r[1]!)}">${esc(r[1]!)}</a></td><td>${esc(r[2]!)}</td><td><code>${esc(r[3]!)}</code></td><td>${r[4] ? `<a href="${esc(r[4])}">dashboard</a>` : ""}</td></tr>`).join("\n")}\n</table>\n`;
}
