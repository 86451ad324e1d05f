// How the Flink application restarts after an update or a start, and what each kind of change
// costs the running job (issue #22). One policy for every kind of change:
//
//   every update and every start restores from the latest snapshot, with AllowNonRestoredState on.
//
// Why on, always: AWS documents that a snapshot holding state that no operator of the new job
// claims fails the start with AllowNonRestoredState off, and the application stays in UPDATING or
// STOPPING ("Manage application backups using snapshots", Managed Flink developer guide). The job
// gives its SQL operators uids that follow their plan (analytics/.../StableUids.java): state is
// restored into an operator only when neither it nor anything upstream of it changed, so state is
// left unclaimed exactly when it would not fit; skipping it is then the only way to start.
// The Kinesis source's uid never changes, so the ingest position always carries over: no window is
// lost or counted twice (analytics/.../SavepointRestoreTest.java proves each kind below).
//
// The program declares the flag, but the provider sends the run configuration in an
// UpdateApplication only when the run configuration itself changes (terraform-provider-aws,
// kinesisanalyticsv2 application update), and AWS sets AllowNonRestoredState back to false on an
// update that omits it (API reference, FlinkRunConfiguration). So the job also sets Flink's own
// execution.savepoint.ignore-unclaimed-state (ClickstreamJob.restorePolicy): the declared flag covers
// creates, starts and the update that introduces it; the job's covers every later code update.

import { labWindowSeconds, propertyContract, RUN_CONFIGURATION } from "./analytics";

export { RUN_CONFIGURATION };

/** The same, as StartApplication takes it (AWS SDK shape): `workshop extend` starts with it. */
export const START_RUN_CONFIGURATION = {
  ApplicationRestoreConfiguration: { ApplicationRestoreType: RUN_CONFIGURATION.applicationRestoreConfiguration.applicationRestoreType },
  FlinkRunConfiguration: { AllowNonRestoredState: RUN_CONFIGURATION.flinkRunConfiguration.allowNonRestoredState },
} as const;

/** What an update costs the job's state: nothing, the forest, or every window and the forest. */
export type Restart = "none" | "forest" | "windows";

/** One team's change, as a preview shows it. */
export interface Change {
  /** Runtime properties whose value changes, as "Group/key" (e.g. "Detection/anomaly.threshold"). */
  readonly changedProperties: readonly string[];
  /** The application's code (the JAR's object key) changes. */
  readonly codeChanged: boolean;
  /** The JAR's SQL changes (sqlIdentityOfKey differs between the old and the new key). */
  readonly sqlChanged: boolean;
}

/** What the change costs an attendee. */
export interface RestoreCost {
  /**
   * "kept": the forest carries on. "restarts": it starts again. "may restart": the SQL changed, and
   * the forest starts again unless the change is only in the rule after RANDOM_CUT_FOREST.
   */
  readonly forest: "kept" | "restarts" | "may restart";
  /** The windows start again too: records of the window open at the update that were read before it are not counted. */
  readonly windowsRestart: boolean;
  /** Windows scored 0 while a restarted forest fills its sample (sub.sample.size); 0 when kept. */
  readonly warmUpWindows: number;
  /** warmUpWindows × window.seconds. */
  readonly warmUpSeconds: number;
  /** One line for the rollout's summary, e.g. "forest restarts: 12 windows (120 s) score 0". */
  readonly text: string;
}

/**
 * Each runtime property's `restart` from the contract (sql/runtime-properties.json), "Group/key" →
 * Restart. analytics/.../StableUidsTest checks every claim against the planned job.
 * @throws Error when a key has no valid `restart`.
 */
export function restartByProperty(): Map<string, Restart> {
  const out = new Map<string, Restart>();
  for (const [group, keys] of Object.entries(propertyContract().groups))
    for (const [key, spec] of Object.entries(keys)) {
      const r = (spec as { restart?: string }).restart;
      if (r !== "none" && r !== "forest" && r !== "windows")
        throw new Error(
          `sql/runtime-properties.json: ${group}/${key} has restart ${JSON.stringify(r)}; it must be "none", "forest" or "windows"`,
        );
      out.set(`${group}/${key}`, r);
    }
  return out;
}

/** The settings restoreCost sizes a warm-up with. */
export interface RestoreSettings {
  /** Detection/window.seconds, in seconds. */
  readonly windowSeconds: number;
  /** RandomCutForest/sub.sample.size: windows a forest that starts afresh needs before it scores. */
  readonly subSampleSize: number;
}

/**
 * The settings the program deploys: the contract's defaults (sql/runtime-properties.json), which
 * no stack key overrides, so they are what every team runs after an update from this checkout.
 * @throws Error when the contract has no positive Detection/window.seconds or
 *   RandomCutForest/sub.sample.size default.
 */
export function deployedRestoreSettings(): RestoreSettings {
  const subSampleSize = Number(propertyContract().groups.RandomCutForest?.["sub.sample.size"]?.default);
  if (!(subSampleSize > 0)) throw new Error("sql/runtime-properties.json has no positive RandomCutForest/sub.sample.size default");
  return { windowSeconds: labWindowSeconds(), subSampleSize };
}

/**
 * The cost of one change under RUN_CONFIGURATION (docs/detection.md, "Updates and the forest").
 * @param settings the job's window length (s) and forest sample size after the change
 *   (Detection/window.seconds, RandomCutForest/sub.sample.size)
 * @throws Error naming a changed property that the contract does not list.
 */
export function restoreCost(change: Change, settings: RestoreSettings): RestoreCost {
  const restarts = restartByProperty();
  let windows = false;
  let forest = false;
  for (const p of change.changedProperties) {
    const r = restarts.get(p);
    if (!r) throw new Error(`${p} is not a runtime property of the job (sql/runtime-properties.json lists them as Group/key)`);
    windows ||= r === "windows";
    forest ||= r !== "none";
  }
  const maybe = !forest && change.codeChanged && change.sqlChanged;
  const warmUpWindows = forest || maybe ? settings.subSampleSize : 0;
  const warmUpSeconds = warmUpWindows * settings.windowSeconds;
  const cost = `${warmUpWindows} windows (${warmUpSeconds} s) score 0`;
  const text = forest
    ? `forest restarts: ${cost}${windows ? "; records of the window open at the update that were read before it are not counted" : ""}`
    : maybe
      ? `SQL changed: the forest restarts (${cost}) unless the change is only in the rule after RANDOM_CUT_FOREST`
      : "state kept: no warm-up";
  return { forest: forest ? "restarts" : maybe ? "may restart" : "kept", windowsRestart: windows, warmUpWindows, warmUpSeconds, text };
}
