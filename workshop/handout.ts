// The attendee's hand-out: one page per team that gets them from nothing to the alert e-mail with
// only what is on it (issue #25). Data apart from rendering: `handoutOf` gathers one team's facts
// from its stack's outputs and config, `renderHtml` draws a printable document (one page per
// team, page breaks between them), `renderMarkdown` one team's page. The lab's timeline, the
// templates and the rates come from traffic/profiles.ts, the sign-in's length from
// components/kdgAccess.ts, the e-mails' sender from components/notifications.ts, the threshold
// from the stack's config: nothing here is a second copy. The KDG's labels, its default rate and
// its shared template tabs are the KDG's own (awslabs/amazon-kinesis-data-generator,
// web/producer.html and web/js/producer.js), as an attendee meets them on the page.

import QRCode from "qrcode";
import { labWindowSeconds } from "../components/analytics";
import { KDG_SIGN_IN_HOURS } from "../components/kdgAccess";
import { TOPIC_DISPLAY_NAME } from "../components/notifications";
import { SCHEMA } from "../infra/config";
import { kdgRecord, profile, type Producer } from "../traffic/profiles";
import type { ConfigValue, OutputValue } from "./workspace";

/** Everything one team's page says. */
export interface Handout {
  readonly team: string;
  /** The stack's name, `<event>-<team>`: the short code an instructor resolves to the KDG link. */
  readonly code: string;
  readonly region: string;
  readonly kdgUrl: string;
  readonly kdgUsername: string;
  readonly kdgPassword: string;
  /** The one stream the team sends to. */
  readonly ingestStreamName: string;
  /** The team's own stream the KDG list also shows, and which is not for sending. */
  readonly anomaliesStreamName: string;
  readonly dashboardUrl: string;
  /** The read-only console sign-in (components/teamView.ts); absent on stacks deployed before it existed. */
  readonly viewer?: { readonly signInUrl: string; readonly username: string; readonly password: string };
  /** Where alerts go: the address that must confirm the subscription. */
  readonly notificationEmail: string;
  /** The roster's phone (config notificationPhone, E.164) that the topic also texts; absent when none was provisioned. */
  readonly notificationPhone?: string;
  /** The score above which a window alerts (config anomalyThreshold). */
  readonly anomalyThreshold: number;
  /** The event's end as configured (ISO 8601 with its offset). */
  readonly endsAt: string;
}

/** How to write the pages. */
export interface HandoutOptions {
  /** The event's time zone (IANA, e.g. Europe/Berlin); default: the offset endsAt was written with. */
  readonly timeZone?: string;
  /** When the pages are made: an event longer than a sign-in from now tells attendees to sign in again. */
  readonly now: Date;
  /** Where the attendee guide is read (docs/lab-guide.md in the project's repository, by default). */
  readonly guide: string;
}

/** A stack output that must be text; the error names the team, the output and the fix. */
function outputText(team: string, outputs: Record<string, OutputValue>, key: string): string {
  const v = outputs[key]?.value;
  if (typeof v !== "string" || v === "")
    throw new Error(
      `team ${team}: the stack has no ${key} output; run provision again (it updates the stack to this version of the program)`,
    );
  return v;
}

/**
 * One team's hand-out from its stack's outputs and config (fully qualified keys, `project:`).
 * Throws, naming the team and the output, when the stack lacks what the page needs.
 */
export function handoutOf(
  team: string,
  stack: string,
  outputs: Record<string, OutputValue>,
  config: Record<string, ConfigValue>,
  project: string,
): Handout {
  const text = (k: string) => outputText(team, outputs, k);
  const cfg = (k: string) => config[`${project}:${k}`]?.value;
  const endsAt = cfg("endsAt");
  if (!endsAt) throw new Error(`team ${team}: the stack's config has no endsAt; the hand-out must say when the event ends`);
  const phone = cfg("notificationPhone");
  const viewer =
    typeof outputs.viewerUsername?.value === "string"
      ? { signInUrl: text("viewerSignInUrl"), username: text("viewerUsername"), password: text("viewerPassword") }
      : undefined;
  return {
    team,
    code: stack,
    region: text("region"),
    kdgUrl: text("kdgUrl"),
    kdgUsername: text("kdgUsername"),
    kdgPassword: text("kdgPassword"),
    ingestStreamName: text("ingestStreamName"),
    anomaliesStreamName: text("anomaliesStreamName"),
    dashboardUrl: text("dashboardUrl"),
    ...(viewer ? { viewer } : {}),
    notificationEmail: cfg("notificationEmail") ?? "",
    ...(phone ? { notificationPhone: phone } : {}),
    anomalyThreshold: Number(cfg("anomalyThreshold") ?? SCHEMA.anomalyThreshold.default),
    endsAt,
  };
}

/**
 * The end in the event's time zone: with `timeZone` (IANA) through Intl; otherwise in the offset
 * endsAt was written with ("2026-12-01T17:00:00+01:00" → "Tuesday 1 December 2026, 17:00 (UTC+01:00)").
 * Throws RangeError for a time zone Intl does not know.
 */
export function formatEnd(endsAt: string, timeZone?: string): string {
  const at = new Date(endsAt);
  if (Number.isNaN(at.getTime())) throw new RangeError(`endsAt ${endsAt} is not a date`);
  const parts: Intl.DateTimeFormatOptions = {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  if (timeZone) {
    const text = new Intl.DateTimeFormat("en-GB", { ...parts, timeZone, timeZoneName: "shortOffset" }).format(at);
    return `${text.replace(/ at /, ", ")} (${timeZone})`;
  }
  const m = /(Z|[+-]\d{2}:?\d{2})$/i.exec(endsAt.trim());
  const offset = !m || m[1]!.toUpperCase() === "Z" ? "+00:00" : m[1]!.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const minutes = (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const shifted = new Date(at.getTime() + minutes * 60_000);
  const text = new Intl.DateTimeFormat("en-GB", { ...parts, timeZone: "UTC" }).format(shifted);
  return `${text.replace(/ at /, ", ")} (UTC${offset})`;
}

/** The lab's script, as the page states it: from traffic/profiles.ts's `lab` profile. */
export interface Timeline {
  readonly steadyMinutes: number;
  readonly burstWindows: number;
  readonly burstSeconds: number;
  readonly afterBurstSeconds: number;
  readonly rate: number;
  readonly clickTemplate: string;
  readonly impressionTemplate: string;
}

export function timeline(): Timeline {
  const lab = profile("lab");
  const steady = lab.filter((p) => p.startSeconds === 0);
  const burst = lab.filter((p) => p.startSeconds > 0);
  const first = burst[0] as Producer;
  return {
    steadyMinutes: first.startSeconds / 60,
    burstWindows: burst.length,
    burstSeconds: first.durationSeconds,
    afterBurstSeconds: steady[0]!.durationSeconds - first.startSeconds,
    rate: first.ratePerSecond,
    clickTemplate: kdgRecord("Click"),
    impressionTemplate: kdgRecord("Impression"),
  };
}

/** Whether the event outlasts one KDG sign-in from `now`: the page then says to sign in again. */
export function outlastsSignIn(endsAt: string, now: Date): boolean {
  return new Date(endsAt).getTime() - now.getTime() > KDG_SIGN_IN_HOURS * 3_600_000;
}

/** One page's text blocks, shared by both renderings: headings with lines of inline Markdown. */
interface Section {
  readonly title: string;
  readonly lines: readonly string[];
}

/** Inline code; a value holding a backtick (a password may) gets a double fence, as CommonMark allows. */
const code = (s: string) => (s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``);

/**
 * Characters that print alike in common fonts (O and 0, l, 1, I and |), each spelled out: a
 * password read off paper is typed from these. The KDG password has letters and digits
 * (components/kdgAccess.ts); the console password is AWS's, with symbols.
 */
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  O: "capital o",
  o: "lower-case o",
  "0": "zero",
  l: "lower-case L",
  I: "capital i",
  "1": "one",
  "|": "vertical bar",
};

/**
 * The look-alike characters of `secret` in order of first appearance, each with its 1-based
 * positions: `lookAlikes("l0l0")` is `["l = lower-case L at 1, 3", "0 = zero at 2, 4"]`.
 */
export function lookAlikes(secret: string): string[] {
  const at = new Map<string, number[]>();
  [...secret].forEach((ch, i) => {
    if (LOOK_ALIKE[ch] !== undefined) at.set(ch, [...(at.get(ch) ?? []), i + 1]);
  });
  return [...at].map(([ch, positions]) => `${ch} = ${LOOK_ALIKE[ch]} at ${positions.join(", ")}`);
}

/** A password as code, followed by its look-alikes spelled out when it has any. */
function secretText(secret: string): string {
  const alike = lookAlikes(secret);
  return alike.length > 0 ? `${code(secret)} (look-alikes: ${alike.join("; ")})` : code(secret);
}

/** What the KDG's Configure dialog asks for, read from a team's link; its fields' labels name them. */
export interface KdgConfiguration {
  /** The KDG page without its query: short enough to type. */
  readonly page: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  readonly region: string;
}

/**
 * The four values of a KDG link (`upid`, `cid`, `ipid`, `r`: the query parameters the KDG's
 * producer.js reads, and what its Configure dialog saves instead), or undefined for a link
 * without all four.
 */
export function kdgConfiguration(kdgUrl: string): KdgConfiguration | undefined {
  const url = new URL(kdgUrl);
  const q = (k: string) => url.searchParams.get(k) ?? "";
  const [userPoolId, clientId, identityPoolId, region] = [q("upid"), q("cid"), q("ipid"), q("r")];
  if (!userPoolId || !clientId || !identityPoolId || !region) return undefined;
  return { page: `${url.origin}${url.pathname}`, userPoolId, clientId, identityPoolId, region };
}

function confirmSection(h: Handout): Section {
  return {
    title: "1. Before anything else: confirm the alert e-mail",
    lines: [
      `Open the e-mail from **${TOPIC_DISPLAY_NAME}** (no-reply@sns.amazonaws.com, subject "AWS Notification - Subscription Confirmation") sent to ${code(h.notificationEmail)} and click **Confirm subscription**; not in your inbox: look in spam. Without it no alert reaches you.`,
    ],
  };
}

function signInSection(h: Handout, o: HandoutOptions): Section {
  const signIn = outlastsSignIn(h.endsAt, o.now)
    ? `One sign-in lasts ${KDG_SIGN_IN_HOURS} hours and the event is longer: when the page stops counting up or shows an error, reload it and sign in again.`
    : `One sign-in lasts ${KDG_SIGN_IN_HOURS} hours, longer than the event; on an error about the token, reload the page and sign in again.`;
  const c = kdgConfiguration(h.kdgUrl);
  // A phone that scans the code is not the laptop with five windows, and nobody types the link's
  // 190 characters: the KDG's own Configure dialog takes the same four values from a short page.
  const noCamera = c
    ? `Link on your phone, or no camera: open ${c.page}, choose **Configure**, enter Cognito User Pool ID ${code(c.userPoolId)}, Cognito Client ID ${code(c.clientId)}, Cognito Identity Pool ID ${code(c.identityPoolId)}, User Pool Region ${code(c.region)}, **Save Changes**, reload the page; or ask your instructor for the link of team code **${h.code}**.`
    : `No camera? Ask your instructor for the link of team code **${h.code}**.`;
  return {
    title: "2. Open the Kinesis Data Generator (KDG) and sign in",
    lines: [
      `Scan the QR code, or open the KDG link above, on the laptop you do the lab on (five browser windows). ${noCamera}`,
      `Username ${code(h.kdgUsername)} and password ${secretText(h.kdgPassword)}: this team's only, do not share.`,
      signIn,
    ],
  };
}

function streamSection(h: Handout): Section {
  return {
    title: "3. Point the page at your stream",
    lines: [
      `**Region:** choose ${code(h.region)}: the page opens on another, link or not ("No destinations found in this region").`,
      `**Stream/delivery stream:** under **Kinesis Streams** choose exactly ${code(h.ingestStreamName)}. The list shows every team's streams, and preselects the first, usually not yours: AWS refuses your records anywhere else. ${code(h.anomaliesStreamName)} is yours but is where alerts come out; the **Kinesis Firehose** group is not for this lab.`,
    ],
  };
}

function trafficSection(): Section {
  const t = timeline();
  // The KDG's labels and default (web/producer.html: "Records per second" starts at 100), and its
  // five template tabs, which it keeps for every window of one browser (localStorage): fill them
  // once and each new window has both templates.
  return {
    title: "4. Send the lab's traffic (one browser window per sender, all in one browser)",
    lines: [
      `In every window: **Records per second** ${t.rate} (the page starts at 100), tab **Constant**. In **Record template**, put the impression template in **Template 1** and the click template in **Template 2** (every window of this browser then has them). Impression: ${code(t.impressionTemplate)}; click: ${code(t.clickTemplate)}.`,
      `**Minute 0** (note the time): window A, Template 1, **Send data** (impressions); window B, Template 2, **Send data** (clicks). Keep both running: the detector needs ${t.steadyMinutes} minutes of steady traffic to learn what normal looks like.`,
      `**Before minute ${t.steadyMinutes}:** open ${t.burstWindows} more windows (C, D, E), sign in, same region, stream, rate, Template 2; do not send yet.`,
      `**Minute ${t.steadyMinutes}:** press **Send data** in C, D and E within a few seconds of each other (together they are the burst; one by one is none); after about **${t.burstSeconds} seconds** press **Stop Sending Data to Kinesis** in all ${t.burstWindows}; stop A and B about ${t.afterBurstSeconds} s later.`,
    ],
  };
}

function watchSection(h: Handout): Section {
  return {
    title: "5. Watch your detection",
    lines: [
      ...(h.viewer
        ? [
            `Sign in to the AWS console at ${h.viewer.signInUrl} as IAM user ${code(h.viewer.username)} with password ${secretText(h.viewer.password)}. Read-only, until the event ends.`,
          ]
        : []),
      `Then open your dashboard: ${h.dashboardUrl}`,
      `**"Records sent" on the KDG page proves nothing** (it counts records AWS refused too): yours arrived when the **Records in** graph rises, each minute a minute or two late. The score stays under the red line (${h.anomalyThreshold}) while traffic is steady and crosses it at the burst; the **Alerts** graph then counts one.`,
    ],
  };
}

/** How long after the burst an attendee waits before checking: the window, the job, CloudWatch's minute, e-mail. */
const NO_ALERT_AFTER_MINUTES = 3;

/**
 * The phone's line, when the roster gave one: only its last 4 digits go on paper. A text reaches
 * it only if SNS may send there: an account in the SMS sandbox texts only destination numbers
 * verified beforehand, each with a code AWS texts to it ("Using the Amazon SNS SMS sandbox",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html; preflight's sms-verified check
 * is the instructor's side). The e-mail does not depend on it.
 */
function smsLine(h: Handout): string[] {
  if (!h.notificationPhone) return [];
  return [
    `The alert also goes by text to your phone ending **${h.notificationPhone.slice(-4)}**, unless the event's AWS account is in the SMS sandbox and that number was not verified beforehand (with a code AWS texted it): then, the e-mail only.`,
  ];
}

function alertSection(h: Handout, o: HandoutOptions): Section {
  const t = timeline();
  // lambda/alert.ts publishes once per anomalous window (its ledger is keyed by window, not by
  // burst), and the job judges each window alone: a burst longer than a window may alert twice.
  const more = t.burstSeconds > labWindowSeconds();
  return {
    title: "6. The alert, and when you are done",
    lines: [
      `Within a minute of the burst, an e-mail from **${TOPIC_DISPLAY_NAME}**, "Anomaly Detected": "Anomaly detected with a click through rate of …% and an anomaly score of …" (about 3.2 to 3.7; 2 in the 2020 guide: the lab guide says why).${more ? ` A second may follow: each anomalous ${labWindowSeconds()}-second window sends one, and the burst fills more than one.` : ""}`,
      ...smsLine(h),
      `**You are done** when that e-mail has arrived and the **Alerts** graph shows it; stop every window that still sends. **No e-mail ${NO_ALERT_AFTER_MINUTES} minutes after the burst?** Check in this order: the subscription is confirmed (step 1, and spam); every window sends to ${code(h.ingestStreamName)} in ${code(h.region)} (step 3); **Records in** rose (step 5); the score crossed the red line. Still nothing: tell your instructor your team code **${h.code}**.`,
      `The whole lab and the SQL that found the burst: ${o.guide}`,
    ],
  };
}

function sections(h: Handout, o: HandoutOptions): Section[] {
  return [confirmSection(h), signInSection(h, o), streamSection(h), trafficSection(), watchSection(h), alertSection(h, o)];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/** Inline Markdown of the sections (`code`, **bold**, bare https links) as HTML, everything else escaped. */
function inlineHtml(line: string): string {
  return line
    .split(/(`` [^]*? ``|`[^`]*`)/)
    .map((part) =>
      part.startsWith("`` ") && part.endsWith(" ``") && part.length > 5
        ? `<code>${esc(part.slice(3, -3))}</code>`
        : part.startsWith("`") && part.endsWith("`") && part.length > 1
          ? `<code>${esc(part.slice(1, -1))}</code>`
          : esc(part)
              .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
              .replace(/(https:\/\/[^\s<]+[^\s<.,:;)])/g, '<a href="$1">$1</a>'),
    )
    .join("");
}

/** The KDG link as an SVG QR code (error correction M: survives a crease or a smudge on paper). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

const STYLE = `
  @page { size: A4; margin: 8mm 10mm; }
  body { font: 9pt/1.25 system-ui, "Segoe UI", Helvetica, Arial, sans-serif; color: #111; margin: 0; }
  .team { page-break-after: always; break-after: page; max-width: 190mm; margin: 0 auto; }
  .team:last-child { page-break-after: auto; break-after: auto; }
  header { display: flex; justify-content: space-between; align-items: flex-start; gap: 5mm; border-bottom: 2px solid #111; }
  h1 { font-size: 15pt; margin: 0 0 1mm; }
  h2 { font-size: 9.6pt; margin: 1.6mm 0 0.3mm; }
  p { margin: 0.6mm 0; overflow-wrap: anywhere; }
  code { font: 8.6pt/1.2 ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-variant-numeric: slashed-zero; background: #f1f1f1; padding: 0 0.8mm; overflow-wrap: anywhere; }
  .qr svg { width: 30mm; height: 30mm; display: block; }
  .link { font: 7pt/1.15 ui-monospace, monospace; overflow-wrap: anywhere; color: #333; margin-top: 1mm; }
  .end { font-weight: 600; }
  a { color: inherit; }
`;

async function teamHtml(h: Handout, o: HandoutOptions): Promise<string> {
  const body = sections(h, o)
    .map((s) => `<h2>${esc(s.title)}</h2>\n${s.lines.map((l) => `<p>${inlineHtml(l)}</p>`).join("\n")}`)
    .join("\n");
  return `<section class="team" data-team="${esc(h.team)}">
<header>
<div>
<h1>Clickstream anomaly lab: team ${esc(h.team)}</h1>
<p>Region <code>${esc(h.region)}</code> · your stream <code>${esc(h.ingestStreamName)}</code></p>
<p class="end">The event ends ${esc(formatEnd(h.endsAt, o.timeZone))}: the KDG user, the console view and the detection stop then.</p>
</div>
<div class="qr" title="KDG link">${await qrSvg(h.kdgUrl)}</div>
</header>
<p class="link">KDG: <a href="${esc(h.kdgUrl)}">${esc(h.kdgUrl)}</a></p>
${body}
</section>`;
}

/** A printable HTML document, one page per team (a page break between teams), self-contained. */
export async function renderHtml(handouts: readonly Handout[], o: HandoutOptions): Promise<string> {
  const pages = await Promise.all(handouts.map((h) => teamHtml(h, o)));
  const title = handouts.length === 1 ? `Clickstream lab: team ${handouts[0]!.team}` : "Clickstream lab: hand-outs";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${pages.join("\n")}
</body>
</html>
`;
}

/** One team's page in Markdown; `qrFile` is the SVG written beside it, shown as an image. */
export function renderMarkdown(h: Handout, o: HandoutOptions, qrFile?: string): string {
  const lines = [
    `# Clickstream anomaly lab: team ${h.team}`,
    "",
    `Region ${code(h.region)} · your stream ${code(h.ingestStreamName)}`,
    "",
    `**The event ends ${formatEnd(h.endsAt, o.timeZone)}**: the KDG user, the console view and the detection stop then.`,
    "",
    ...(qrFile ? [`![QR code of the KDG link](${qrFile})`, ""] : []),
    `KDG: <${h.kdgUrl}>`,
    "",
  ];
  for (const s of sections(h, o)) lines.push(`## ${s.title}`, "", ...s.lines.flatMap((l) => [l, ""]));
  return lines.join("\n");
}
