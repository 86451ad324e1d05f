// What a rollout changes, as data: each team's preview (workshop/workspace.ts ResourceChange) said
// in the instructor's words ("Application code, properties; Function code"), teams grouped by
// what changes for them, and the kind of change the Flink application sees, with what it costs an
// attendee (a restart; the forest's warm-up). Rendering is cli/workshop/update.ts's.

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
 * What the Flink application sees, from the most to the least disruptive. The restore policy and
 * warm-up of each kind are the Flink job's decision (issue 22 item 2; WARM_UP below).
 */
export type ChangeKind = "SQL or new JAR" | "forest parameters" | "threshold" | "other properties" | "application settings" | "none";

/** Property groups whose keys are only read when a window is scored (sql/runtime-properties.json, group Detection). */
const THRESHOLD_KEYS = ["anomaly.threshold", "min.ctr.change"];

/**
 * The kind of change the team's Flink application sees, from its preview: new code (the JAR, which
 * carries sql/), the RandomCutForest property group (the forest's shape), the Detection group's
 * threshold keys, other properties, other application settings; "none" when the application is
 * not changed. The most disruptive kind present wins.
 */
export function changeKindOf(changes: readonly ResourceChange[]): ChangeKind {
  const paths = changes.filter((c) => c.type === APPLICATION).flatMap((c) => (c.paths.length ? c.paths : ["(all)"]));
  if (paths.length === 0) return "none";
  const props = "applicationConfiguration.environmentProperties.propertyGroups";
  if (paths.some((p) => p === "(all)" || under(p, "applicationConfiguration.applicationCodeConfiguration"))) return "SQL or new JAR";
  if (paths.some((p) => under(p, `${props}[RandomCutForest]`) || p === `${props}[Detection].propertyMap.window.seconds`))
    return "forest parameters";
  const propertyPaths = paths.filter((p) => under(p, props));
  if (propertyPaths.length && propertyPaths.every((p) => THRESHOLD_KEYS.some((k) => p === `${props}[Detection].propertyMap.${k}`))) {
    return paths.length === propertyPaths.length ? "threshold" : "application settings";
  }
  return propertyPaths.length ? "other properties" : "application settings";
}

/** What a kind of change costs an attendee: whether the job restarts, and how many 10-s windows the forest needs again. */
export interface WarmUp {
  /** The application restarts (UpdateApplication on a running application restarts the job). */
  readonly restart: boolean;
  /** Windows before the forest scores again (0: its state is restored from the snapshot). */
  readonly windows: number;
  /** Why, in one line. */
  readonly why: string;
}

/**
 * The forest's sample size (sql/runtime-properties.json RandomCutForest/sub.sample.size): a forest
 * that starts afresh scores nothing for this many windows (docs/detection.md, "Warm-up").
 */
export const FOREST_SAMPLE_WINDOWS = 12;

/**
 * Cost per kind, from the restore policy of issue 22 item 2: state that matches the new job is
 * restored from the latest snapshot; where it cannot carry over, the forest starts again.
 */
export const WARM_UP: Record<ChangeKind, WarmUp> = {
  "SQL or new JAR": {
    restart: true,
    windows: FOREST_SAMPLE_WINDOWS,
    why: "new code: operators whose state no longer matches start empty, so the forest learns again",
  },
  "forest parameters": {
    restart: true,
    windows: FOREST_SAMPLE_WINDOWS,
    why: "a forest of another shape cannot take the old one's state: it starts again",
  },
  threshold: { restart: true, windows: 0, why: "the job restarts from its snapshot; the forest keeps what it learnt" },
  "other properties": { restart: true, windows: 0, why: "the job restarts from its snapshot; the forest keeps what it learnt" },
  "application settings": { restart: true, windows: 0, why: "the job restarts from its snapshot; the forest keeps what it learnt" },
  none: { restart: false, windows: 0, why: "the Flink application is not changed" },
};

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
  readonly teams: readonly string[];
}

/** Groups previews by what changes; the first group is "the rest", the others differ from it. */
export function groupPreviews(previews: readonly TeamPreview[]): ChangeGroup[] {
  const groups = new Map<string, { kind: ChangeKind; teams: string[] }>();
  for (const p of previews) {
    const g = groups.get(p.description) ?? { kind: p.kind, teams: [] };
    g.teams.push(p.team);
    groups.set(p.description, g);
  }
  return [...groups.entries()]
    .map(([description, g]) => ({ description, kind: g.kind, teams: g.teams }))
    .sort((a, b) => b.teams.length - a.teams.length || a.description.localeCompare(b.description));
}
