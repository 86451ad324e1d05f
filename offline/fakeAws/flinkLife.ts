// A Managed Service for Apache Flink application's life in the fake account: its status, the
// transitions something outside the stack starts (the event's stop schedule, `extend`, a stop over
// the cost cap, the service's maintenance), its latest snapshot, and the one rule of the service
// that wedges an application on its own update (issue #22, items 3 and 4).
//
// The rules, from the service's documentation:
// - DeleteApplication answers ResourceInUseException while the application is STARTING, STOPPING
//   or UPDATING (API_DeleteApplication.html); UpdateApplication likewise until it is READY or
//   RUNNING (API_UpdateApplication.html).
// - UpdateApplication keeps the status: a READY application takes the new configuration and stays
//   READY; the provider starts or stops it only when `startApplication` changes (afterUpdate).
// - The service takes a snapshot when a running application with snapshots enabled is updated or
//   stopped, and restores the new job from it (RESTORE_FROM_LATEST_SNAPSHOT, the default) unless
//   the run configuration says SKIP_RESTORE_FROM_SNAPSHOT ("Manage application backups using
//   snapshots", Managed Flink developer guide; API_ApplicationRestoreConfiguration.html).
// - When the snapshot holds state the new job has no operator for, the job fails to start unless
//   AllowNonRestoredState is true; the application stays in UPDATING (or STOPPING) until an
//   UpdateApplication with AllowNonRestoredState=true (same guide; API_FlinkRunConfiguration.html,
//   and Flink's "Allowing Non-Restored State").
//
// The model of "does the snapshot match the new job" (documented in docs/proof-without-a-cloud.md):
// the fake cannot look inside a JAR, so a job is its code as the application names it (the code
// object's bucket, key and version, or the inline code) with its runtime; a snapshot records the
// job that wrote it. Same code: every operator of the snapshot is in the new job (a change of
// runtime properties only, e.g. a threshold). Other code: the operator set may differ, so the
// restore needs AllowNonRestoredState=true. That is stricter than Flink when the new code kept
// every operator uid; a program that rolls out new code must allow non-restored state (ours does:
// components/restorePolicy.ts). The flag counts as the program declares it in its inputs.

import { createHash } from "node:crypto";

/** The Pulumi type of a Managed Flink application. */
export const FLINK_APPLICATION = "aws:kinesisanalyticsv2/application:Application";

/** Statuses in which DeleteApplication answers ResourceInUseException (API_DeleteApplication). */
export const BUSY: readonly string[] = ["STARTING", "STOPPING", "UPDATING"];

/** What the fake keeps of an application beyond its configuration. Times are ms since the epoch. */
export interface FlinkLife {
  /** The status as of the last change (see `effective` for now). */
  readonly status: string;
  /** When a transitional status becomes `then`; absent: it stays (a wedged application stays). */
  readonly settlesAt?: number;
  readonly then?: string;
  /** Why the application cannot leave its status by itself (a snapshot that does not match the job). */
  readonly wedged?: string;
  /** The job its configuration runs (jobOf). */
  readonly job: string;
  /** The job that wrote the latest snapshot, if the service has taken one. */
  readonly snapshotJob?: string;
}

// Inputs arrive as JSON-like data, as the provider sends them (camelCase, nested objects).
type Inputs = Record<string, any>;

/** The job an application's configuration runs: its code and its runtime, as one short hash. */
export function jobOf(inputs: Inputs): string {
  const code = inputs.applicationConfiguration?.applicationCodeConfiguration?.codeContent ?? {};
  const s3 = code.s3ContentLocation ?? {};
  return createHash("sha256")
    .update(JSON.stringify([inputs.runtimeEnvironment, s3.bucketArn, s3.fileKey, s3.objectVersion, code.textContent, code.zipFileContent]))
    .digest("hex")
    .slice(0, 16);
}

const snapshotsEnabled = (inputs: Inputs) => inputs.applicationConfiguration?.applicationSnapshotConfiguration?.snapshotsEnabled !== false;

/** A new application: RUNNING when the program starts it, else READY; no snapshot yet. */
export function lifeAtCreate(inputs: Inputs, _now: number): FlinkLife {
  return { status: inputs.startApplication === true ? "RUNNING" : "READY", job: jobOf(inputs) };
}

/** The life as it is at `now`: a transition whose time has come has ended. */
export function effective(life: FlinkLife, now: number): FlinkLife {
  if (life.settlesAt === undefined || life.then === undefined || now < life.settlesAt) return life;
  return { status: life.then, job: life.job, ...(life.snapshotJob ? { snapshotJob: life.snapshotJob } : {}) };
}

/** Why DeleteApplication is refused now, with the API's error and the way out; [] when it is not. */
export function deleteProblems(life: FlinkLife, name: string): string[] {
  if (!BUSY.includes(life.status)) return [];
  const way = life.wedged
    ? `it is wedged (${life.wedged}): force-stop it (StopApplication with Force) or update it with allowNonRestoredState true, then delete`
    : "wait until it is READY or RUNNING and delete again";
  return [`application ${name} is ${life.status}: DeleteApplication answers ResourceInUseException (API_DeleteApplication); ${way}`];
}

/**
 * What an UpdateApplication (the provider's update of the resource) does to the application.
 * `refused`: nothing changed (ResourceInUseException). `failed`: the service took the new
 * configuration but the job did not start; the application stays wedged in `life`.
 */
export function afterUpdate(
  lifeThen: FlinkLife,
  before: Inputs,
  after: Inputs,
  now: number,
): { life: FlinkLife; refused?: string[]; failed?: string[] } {
  const life = effective(lifeThen, now);
  if (!life.wedged && life.status !== "READY" && life.status !== "RUNNING")
    return {
      life,
      refused: [
        `application ${String(after.name)} is ${life.status}: UpdateApplication answers ResourceInUseException until it is READY or RUNNING (API_UpdateApplication)`,
      ],
    };
  const running = life.status === "RUNNING" || (life.wedged !== undefined && life.status === "UPDATING");
  // Updating or stopping a running job snapshots it first (when snapshots are on); a wedged job
  // never ran, so the snapshot it failed to restore stays the latest.
  const snapshotJob = life.status === "RUNNING" && snapshotsEnabled(before) ? life.job : life.snapshotJob;
  const job = jobOf(after);
  const keep = snapshotJob ? { snapshotJob } : {};
  // Whether a job runs after the update. UpdateApplication itself keeps the status: a RUNNING
  // application restarts its job, a READY one takes the new configuration and stays READY
  // (API_UpdateApplication); a wedged one tries its job again. The provider then calls
  // StartApplication or StopApplication only when `startApplication` itself changed
  // (terraform-provider-aws, kinesisanalyticsv2 resourceApplicationUpdate: `if
  // d.HasChange("start_application")`; issue 45687: created with it true, stopped later, updated:
  // stays READY). So a stopped application with `startApplication: true` throughout stays stopped.
  const changed = (before.startApplication === true) !== (after.startApplication === true);
  const runs = changed ? after.startApplication === true : life.status === "RUNNING" || life.wedged !== undefined;
  if (!runs) return { life: { status: "READY", job, ...keep } };
  const run = after.applicationConfiguration?.runConfiguration ?? {};
  const restore = run.applicationRestoreConfiguration?.applicationRestoreType ?? "RESTORE_FROM_LATEST_SNAPSHOT";
  const allowNonRestored = run.flinkRunConfiguration?.allowNonRestoredState === true;
  // With snapshots off, the fake restores nothing (assumed: the guide ties restores to snapshots being on).
  const restores = restore !== "SKIP_RESTORE_FROM_SNAPSHOT" && snapshotsEnabled(after);
  if (restores && snapshotJob !== undefined && snapshotJob !== job && !allowNonRestored) {
    const status = running ? "UPDATING" : "STARTING";
    const wedged = `its latest snapshot was written by another job (code changed) and allowNonRestoredState is false`;
    return {
      life: { status, job, wedged, ...keep },
      failed: [
        `the job did not start: ${wedged}; the application stays ${status} until an UpdateApplication with allowNonRestoredState true ` +
          `("Manage application backups using snapshots", Managed Flink developer guide; API_FlinkRunConfiguration)`,
      ],
    };
  }
  return { life: { status: "RUNNING", job, ...keep } };
}

/**
 * The life after something outside the stack set the status (a stop schedule, a start, a
 * maintenance): a running job that is stopped is snapshotted first, when snapshots are on.
 */
export function afterStatusChange(
  lifeThen: FlinkLife,
  inputs: Inputs,
  status: string,
  now: number,
  then?: { status: string; afterMs: number },
): FlinkLife {
  const life = effective(lifeThen, now);
  const stopping = life.status === "RUNNING" && (status === "STOPPING" || status === "READY");
  const snapshotJob = stopping && snapshotsEnabled(inputs) ? life.job : life.snapshotJob;
  return {
    status,
    job: life.job,
    ...(snapshotJob ? { snapshotJob } : {}),
    ...(then ? { settlesAt: now + then.afterMs, then: then.status } : {}),
  };
}
