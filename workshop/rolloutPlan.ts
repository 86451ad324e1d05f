// What a rollout changes, as data: each team's preview (workshop/workspace.ts ResourceChange) said
// in the instructor's words ("Application code, properties; Function code"), teams grouped by
// what changes for them, and the kind of change the Flink application sees, with what it costs an
// attendee (a restart; the forest's warm-up). Rendering is cli/workshop/update.ts's.

import { deployedRestoreSettings, restartByProperty, restoreCost, type Change, type RestoreCost } from "../components/restorePolicy";
import type { PolicyViolation, ResourceChange } from "./workspace";

const APPLICATION = "aws:kinesisanalyticsv2/application:Application";
const FUNCTION = "aws:lambda/function:Function";

/** Input paths → the word an instructor knows them by, per resource type ("*": any type). First match wins. */
const ASPECTS: readonly { readonly type: string; readonly prefix: string; readonly label: string }[] = [
  { type: APPLICATION, prefix: "applicationConfiguration.applicationCodeConfiguration", label: "code" },
  { type: APPLICATION, prefix: "applicationConfiguration.environmentProperties", label: "properties" },
  { type: APPLICATION, prefix: "applicationConfiguration.flinkApplicationConfiguration", label: "Flink settings" },
  { type: APPLICATION, prefix: "applicationConfiguration.runConfiguration", label: "restore settings" },
  { type: APPLICATION, prefix: "applicationConfiguration.applicationSnapshotConfiguration", label: "snapshot settings" },
  { type: FUNCTION, prefix: "code", label: "code" },
  { type: FUNCTION, prefix: "sourceCodeHash", label: "code" },
  { type: FUNCTION, prefix: "environment", label: "environment" },
  { type: "*", prefix: "tagsAll", label: "tags" },
  { type: "*", prefix: "tags", label: "tags" },
];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** One changed input path in the instructor's words: a known aspect, else its top-level key. */
export function aspectOf(type: string, path: string): string {
  const known = ASPECTS.find((a) => (a.type === type || a.type === "*") && under(path, a.prefix));
  return known?.label ?? path.split(/[.[]/)[0]!;
}

/** `aws:kinesisanalyticsv2/application:Application` → `Application`. */
export const typeLabel = (type: string) => type.split(":").pop() ?? type;

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

/**
 * A team's preview in one line, the same for every team with the same changes: per resource type
 * (alphabetical), the aspects updated ("Application code, properties"), or "replaced", "added",
 * "removed". The engine reports a replacement as three steps of one URN; they count once.
 * "no change" when the preview found nothing to do.
 */
export function describeChanges(changes: readonly ResourceChange[]): string {
  const byUrn = new Map<string, { type: string; ops: Set<string>; paths: Set<string> }>();
  for (const c of changes) {
    const r = byUrn.get(c.urn) ?? { type: c.type, ops: new Set<string>(), paths: new Set<string>() };
    r.ops.add(c.op);
    c.paths.forEach((p) => r.paths.add(p));
    byUrn.set(c.urn, r);
  }
  const byType = new Map<string, Set<string>>();
  for (const r of byUrn.values()) {
    const words = byType.get(typeLabel(r.type)) ?? new Set<string>();
    if ([...r.ops].some((op) => REPLACE_OPS.has(op))) words.add("replaced");
    else if (r.ops.has("create")) words.add("added");
    else if (r.ops.has("delete")) words.add("removed");
    else if (r.paths.size === 0) words.add("changed");
    else for (const p of r.paths) words.add(aspectOf(r.type, p));
    byType.set(typeLabel(r.type), words);
  }
  if (byType.size === 0) return "no change";
  return [...byType.keys()]
    .sort()
    .map((t) => `${t} ${[...byType.get(t)!].sort().join(", ")}`)
    .join("; ");
}

/**
 * What the Flink application sees, from the most to the least disruptive. The restore policy of
 * each kind is the Flink job's (issue 22 item 2, announced by the flink slice): RESTART_NOTES, and
 * the warm-up restoreCostOf.
 */
export type ChangeKind =
  | "SQL changed"
  | "window length"
  | "forest parameters"
  | "new JAR, same SQL"
  | "threshold"
  | "other properties"
  | "application settings"
  | "none";

/** Detection keys only read when a window is judged (sql/runtime-properties.json). */
const THRESHOLD_KEYS = ["anomaly.threshold", "min.ctr.change"];
const PROPS = "applicationConfiguration.environmentProperties.propertyGroups";
const CODE = "applicationConfiguration.applicationCodeConfiguration";

/** The SQL's identity in the JAR's key (`…-sql-<sql12>.jar`, components/analytics.ts), if the key carries one. */
function sqlIdentity(inputs: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const c = (
    inputs?.applicationConfiguration as { applicationCodeConfiguration?: { codeContent?: { s3ContentLocation?: { fileKey?: unknown } } } }
  )?.applicationCodeConfiguration?.codeContent?.s3ContentLocation?.fileKey;
  return typeof c === "string" ? /-sql-([0-9a-f]+)\.jar$/.exec(c)?.[1] : undefined;
}

/**
 * The kind of change the team's Flink application sees, from its preview: new code whose SQL
 * identity changed (or cannot be told: the worst case), the window length, the RandomCutForest
 * group, new code with the same SQL, the threshold keys, other properties, other settings; "none"
 * when the application is not changed. The most disruptive kind present wins.
 */
export function changeKindOf(changes: readonly ResourceChange[]): ChangeKind {
  const apps = changes.filter((c) => c.type === APPLICATION);
  const paths = apps.flatMap((c) => (c.paths.length ? c.paths : ["(all)"]));
  if (paths.length === 0) return "none";
  const code = paths.some((p) => p === "(all)" || under(p, CODE));
  const sameSql = apps.every((c) => sqlIdentity(c.before) !== undefined && sqlIdentity(c.before) === sqlIdentity(c.after));
  if (code && !sameSql) return "SQL changed";
  if (paths.includes(`${PROPS}[Detection].propertyMap.window.seconds`)) return "window length";
  if (paths.some((p) => under(p, `${PROPS}[RandomCutForest]`))) return "forest parameters";
  if (code) return "new JAR, same SQL";
  const props = paths.filter((p) => under(p, PROPS));
  if (props.length === 0) return "application settings";
  const threshold = props.every((p) => THRESHOLD_KEYS.some((k) => p === `${PROPS}[Detection].propertyMap.${k}`));
  return threshold && props.length === paths.length ? "threshold" : "other properties";
}

/** What a kind of change means for an attendee, in words: whether the job restarts, and what carries over. */
export interface RestartNote {
  /** The application restarts (UpdateApplication on a running application restarts the job). */
  readonly restart: boolean;
  /** Why, in one line. */
  readonly why: string;
}

const KEPT = "restored from the latest snapshot: the forest keeps what it learnt, the ingest position carries over";

/**
 * Per kind, from the Flink job's restore policy (issue 22 item 2): every update restores the
 * latest snapshot and tolerates state that no longer matches; a SQL operator's state is restored
 * only into the same operator with the same inputs; the Kinesis position always carries over.
 * How many windows the forest then needs is restoreCostOf's (components/restorePolicy.ts).
 */
export const RESTART_NOTES: Record<ChangeKind, RestartNote> = {
  "SQL changed": {
    restart: true,
    why: "the forest starts again (unless the change is after RANDOM_CUT_FOREST); the ingest position carries over",
  },
  "window length": {
    restart: true,
    why: "every window and the forest start again; the window in flight counts only what is read after the update",
  },
  "forest parameters": {
    restart: true,
    why: "a forest of another shape starts again (for sub.sample.size windows); windows and position carry over",
  },
  "new JAR, same SQL": { restart: true, why: KEPT },
  threshold: { restart: true, why: KEPT },
  "other properties": { restart: true, why: KEPT },
  "application settings": { restart: true, why: KEPT },
  none: { restart: false, why: "the Flink application is not changed" },
};

const PROPERTY_PATH = new RegExp(`^${PROPS.replace(/[.[\]]/g, "\\$&")}(?:\\[([^\\]]+)\\](?:\\.propertyMap(?:\\.(.+))?)?)?$`);

/**
 * The runtime properties ("Group/key") a changed input path touches. A path that stops above a key
 * (the whole map, a whole group, every group), names a group by index, or an application changed
 * as a whole ("(all)") touches every key below it: what changed cannot be told, so the worst case. A key the contract
 * does not list is left out: the job reads only the contract's keys (RuntimePropertiesTest), so
 * one that is gone or unknown changes nothing it does.
 */
function changedProperties(path: string, contract: ReadonlyMap<string, unknown>): string[] {
  const every = [...contract.keys()];
  if (path === "(all)") return every;
  const m = PROPERTY_PATH.exec(path);
  if (!m) return [];
  const [, group, key] = m;
  const inGroup = every.filter((p) => p.startsWith(`${group}/`));
  // No group, or one the contract does not name (a provider's diff counts groups by index: [0]).
  if (group === undefined || inGroup.length === 0) return every;
  if (key === undefined) return inGroup;
  return contract.has(`${group}/${key}`) ? [`${group}/${key}`] : [];
}

/**
 * What a team's preview costs its running job, by the restore policy (components/restorePolicy.ts
 * restoreCost) at the settings this checkout deploys: the changed runtime properties, whether the
 * code and the SQL change (a key without a SQL identity counts as a SQL change: the worst case).
 * @throws Error when sql/runtime-properties.json lacks a property's `restart` or the defaults the warm-up is sized with.
 */
export function restoreCostOf(changes: readonly ResourceChange[]): RestoreCost {
  const apps = changes.filter((c) => c.type === APPLICATION);
  const paths = apps.flatMap((c) => (c.paths.length ? c.paths : ["(all)"]));
  const contract = restartByProperty();
  const codeChanged = paths.some((p) => p === "(all)" || under(p, CODE));
  const sameSql = apps.every((c) => sqlIdentity(c.before) !== undefined && sqlIdentity(c.before) === sqlIdentity(c.after));
  const change: Change = {
    changedProperties: [...new Set(paths.flatMap((p) => changedProperties(p, contract)))],
    codeChanged,
    sqlChanged: codeChanged && !sameSql,
  };
  return restoreCost(change, deployedRestoreSettings());
}

/** One team's preview, as the plan keeps it. */
export interface TeamPreview {
  readonly team: string;
  readonly changes: readonly ResourceChange[];
  readonly violations: readonly PolicyViolation[];
  readonly description: string;
  readonly kind: ChangeKind;
}

/** Teams with the same description, largest group first (ties: alphabetical by description). */
export interface ChangeGroup {
  readonly description: string;
  readonly kind: ChangeKind;
  /** What the change costs the job, as the group's first team's preview says (restoreCostOf). */
  readonly cost: RestoreCost;
  readonly teams: readonly string[];
}

/** Groups previews by what changes; the first group is "the rest", the others differ from it. */
export function groupPreviews(previews: readonly TeamPreview[]): ChangeGroup[] {
  const groups = new Map<string, { kind: ChangeKind; changes: readonly ResourceChange[]; teams: string[] }>();
  for (const p of previews) {
    const g = groups.get(p.description) ?? { kind: p.kind, changes: p.changes, teams: [] };
    g.teams.push(p.team);
    groups.set(p.description, g);
  }
  return [...groups.entries()]
    .map(([description, g]) => ({ description, kind: g.kind, cost: restoreCostOf(g.changes), teams: g.teams }))
    .sort((a, b) => b.teams.length - a.teams.length || a.description.localeCompare(b.description));
}
