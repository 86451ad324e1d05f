// `npm run workshop -- handout`: the attendees' pages (workshop/handout.ts), one printable HTML
// document with a page per team, or one file per team (HTML, Markdown and the QR code's SVG), all
// owner-only; `--link <team>` prints one team's KDG link, what an instructor answers when an
// attendee without a camera gives their team code.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { secretPathProblem, writeSecretFile } from "../../secretFile";
import { handoutOf, qrSvg, renderHtml, renderMarkdown, type Handout, type HandoutOptions } from "../../workshop/handout";
import { fileState } from "../../workshop/state";
import { secretFileOption } from "../options";
import { common, defaultDeps, eventProfile, type Deps } from "./common";

/** The attendee guide, as the pages name it when no --guide is given. */
export const DEFAULT_GUIDE = "docs/lab-guide.md in the lab's repository (ask your instructor for the link)";

interface HandoutCliOptions {
  out?: string;
  outDir?: string;
  team?: string[];
  link?: string;
  timeZone?: string;
  guide: string;
}

/** An IANA time zone Intl knows, or the option's error naming it. */
function timeZoneOption(v: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return v;
  } catch {
    throw new InvalidArgumentError(`--time-zone ${v} is not a time zone this machine knows; use an IANA name such as Europe/Berlin or UTC`);
  }
}

/** An existing folder for per-team files. */
function outDirOption(v: string): string {
  if (!existsSync(v) || !statSync(v).isDirectory())
    throw new InvalidArgumentError(`--out-dir ${v} is not an existing folder; create it first`);
  return v;
}

export function handoutCommand(deps: Deps = defaultDeps): Command {
  return new Command("handout")
    .description(
      "the attendees' pages: per team the KDG link (and QR code), that team's password only, region, stream, templates, timeline, console view and the event's end",
    )
    .option("-o, --out <file>", "one printable HTML document, a page per team (owner-only, 0600)", secretFileOption("--out"))
    .option("--out-dir <dir>", "one file per team instead: <team>.html, <team>.md and <team>-kdg.svg (owner-only)", outDirOption)
    .option("--team <names...>", "only these teams (default: every team that is up)")
    .option("--link <team>", "print only this team's KDG link (the instructor's answer to a team code)")
    .option("--time-zone <iana>", "the event's time zone for the end time (default: the offset endsAt was written with)", timeZoneOption)
    .addOption(new Option("--guide <where>", "where attendees read the lab guide (a URL of docs/lab-guide.md)").default(DEFAULT_GUIDE))
    .action(async (o: HandoutCliOptions, cmd: Command) => {
      const c = common(cmd);
      if (o.out && o.outDir) throw new InvalidArgumentError("--out and --out-dir: choose one (one document, or one file per team)");
      const up = Object.entries(fileState(c.state).all()).filter(([, r]) => r.status === "up");
      const wanted = o.link ? [o.link] : o.team;
      const unknown = (wanted ?? []).filter((t) => !up.some(([team, r]) => team === t || r.stack === t));
      if (unknown.length > 0)
        throw new InvalidArgumentError(
          `no team that is up is called ${unknown.join(", ")} (teams up: ${up.map(([t]) => t).join(", ") || "none"}); check npm run workshop -- status`,
        );
      const chosen = up.filter(([team, r]) => !wanted || wanted.includes(team) || wanted.includes(r.stack));
      const ws = deps.workspace(c);
      const { project } = eventProfile(c);
      const handouts: Handout[] = [];
      for (const [team, r] of chosen) {
        deps.err(`reading ${team} (${r.stack})\n`);
        handouts.push(handoutOf(team, r.stack, await ws.outputs(r.stack, r.profile), await ws.config(r.stack, r.profile), project));
      }
      if (o.link) return deps.out(`${handouts[0]!.kdgUrl}\n`);
      const options: HandoutOptions = { now: deps.now(), guide: o.guide, ...(o.timeZone ? { timeZone: o.timeZone } : {}) };
      deps.err(
        "WARNING: each page holds its team's passwords in clear text. Hand each team its own page; delete the files after the event.\n",
      );
      if (o.outDir) {
        for (const h of handouts) {
          const files = {
            html: join(o.outDir, `${h.team}.html`),
            md: join(o.outDir, `${h.team}.md`),
            svg: join(o.outDir, `${h.team}-kdg.svg`),
          };
          for (const f of Object.values(files)) {
            const problem = secretPathProblem(f, "--out-dir file");
            if (problem) throw new InvalidArgumentError(problem);
          }
          writeSecretFile(files.svg, await qrSvg(h.kdgUrl), "--out-dir");
          writeSecretFile(files.md, renderMarkdown(h, options, `${h.team}-kdg.svg`), "--out-dir");
          writeSecretFile(files.html, await renderHtml([h], options), "--out-dir");
          deps.err(`wrote ${files.html}, ${files.md}\n`);
        }
        return;
      }
      const html = await renderHtml(handouts, options);
      if (o.out) {
        writeSecretFile(o.out, html, "--out");
        deps.err(`wrote ${o.out}: ${handouts.length} page(s), one per team\n`);
      } else deps.out(html);
    });
}
