// The check a rollout's canary must pass before the other teams are touched (workshop/rollout.ts):
// its Flink application back to RUNNING after the update, as `status` reads it, and, unless only
// that is asked for, the job scoring windows again, as `smoke` proves it (the lab's traffic into
// the team's stream until a new alert CSV appears). Either failure is named.

import { flinkFacts } from "./spend";
import type { CanaryVerdict } from "./rollout";
import { smokeTeam, type SmokeOptions } from "./smoke";
import { awsError, type TeamClients, type TeamTarget } from "./teamAws";

export interface CanaryCheckOptions {
  /** How long the application may take to be RUNNING again (an update restarts the job). */
  readonly runningTimeoutMs: number;
  /** DescribeApplication every this often while waiting. */
  readonly pollMs: number;
  /** Also smoke the team (traffic until an alert): proves the job scores windows. Absent: RUNNING is enough. */
  readonly smoke?: SmokeOptions;
}

/** Statuses an application passes through on its way back to RUNNING after an update (ApplicationStatus, API reference). */
const ON_THE_WAY = new Set(["UPDATING", "STARTING", "AUTOSCALING", "ROLLING_BACK", "MAINTENANCE"]);

/**
 * Waits for the application to be RUNNING, then (with `o.smoke`) smokes the team. A stopped
 * application (READY) fails at once: an update does not start it (terraform-provider-aws issue
 * 45687). One that stays UPDATING or ROLLED_BACK fails at the timeout, naming the status: what
 * AWS documents for a snapshot that does not match the new job with allowNonRestoredState off
 * (Managed Flink developer guide, "Manage application backups using snapshots"). Never throws.
 */
export async function checkCanary(t: TeamTarget, c: TeamClients, o: CanaryCheckOptions): Promise<CanaryVerdict> {
  const t0 = Date.now();
  for (;;) {
    let status: string;
    try {
      status = (await flinkFacts(c, t.flinkApplicationName)).status;
    } catch (e) {
      return { ok: false, detail: `Flink application ${t.flinkApplicationName}: ${awsError(e)}` };
    }
    if (status === "RUNNING") break;
    if (status === "READY")
      return {
        ok: false,
        detail: `Flink application ${t.flinkApplicationName} is stopped (READY): the update did not start it; extend --team ${t.team} starts it`,
      };
    if (Date.now() - t0 >= o.runningTimeoutMs)
      return {
        ok: false,
        detail: `Flink application ${t.flinkApplicationName} is ${status}, not RUNNING, ${Math.round((Date.now() - t0) / 1000)} s after the update${
          ON_THE_WAY.has(status) || status === "ROLLED_BACK"
            ? " (a snapshot that does not match the new job leaves it so: see docs/running-an-event.md, Changing something mid-event)"
            : ""
        }`,
      };
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  const running = `RUNNING after ${Math.round((Date.now() - t0) / 1000)} s`;
  if (!o.smoke) return { ok: true, detail: running };
  const s = await smokeTeam(t, c, o.smoke);
  return s.verdict === "alerted"
    ? { ok: true, detail: `${running}; scoring again: alert ${s.evidence} ${s.seconds.toFixed(0)} s after the first of ${s.sent} records` }
    : { ok: false, detail: `${running}, but no alert: ${s.detail ?? s.verdict}` };
}
