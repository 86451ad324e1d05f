// Provision and tear down a whole event: one stack per roster row, at most N at once, transient
// failures retried with back-off, one team's failure never stopping the others, and every outcome
// recorded so that running again resumes where the last run stopped.

import { createHash } from "node:crypto";
import { backOff, type BackoffOptions } from "exponential-backoff";
import pLimit from "p-limit";
import type { StateStore } from "./state";
import type { OutputValue, PolicyViolation, StackSpec, TaggedResources, Workspace } from "./workspace";

export type TeamState =
  "queued" | "previewing" | "running" | "retrying" | "up" | "skipped" | "refused" | "failed" | "destroying" | "destroyed";

export interface TeamProgress {
  readonly team: string;
  readonly state: TeamState;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly attempt: number;
  readonly message?: string;
}

export interface RunOptions {
  readonly concurrency: number;
  /** Attempts per team for transient failures, the first included. */
  readonly attempts?: number;
  readonly startingDelayMs?: number;
  /**
   * How long to keep trying a team whose resource is in the middle of a state change
   * (ResourceInUseException: a Flink application STARTING, STOPPING or UPDATING), in ms. Default
   * 15 minutes: a stop takes a snapshot first, and a start or an update restarts the job.
   */
  readonly busyWaitMs?: number;
  /** The longest pause between two tries, in ms. Default 60 s. */
  readonly maxDelayMs?: number;
  readonly onProgress?: (p: TeamProgress) => void;
  /** A log line of one team's operation (the CLI writes one file per team). */
  readonly log?: (team: string, line: string) => void;
}

export interface TeamResult {
  readonly team: string;
  readonly state: TeamState;
  readonly attempts: number;
  readonly error?: string;
  readonly outputs?: Record<string, OutputValue>;
  /** destroy: ARNs still tagged with the team after its stack was removed; absent when not looked up. */
  readonly leftovers?: string[];
  /** destroy: what the destroy deleted, by resource type (workshop/receipt.ts prints it). */
  readonly deleted?: Record<string, number>;
}

// The engine's words for a lock held by another update and for throttling, as its errors print them.
const TRANSIENT =
  /conflict: Another update is currently in progress|\[409\] Conflict|ConcurrentUpdateError|Throttling|Rate exceeded|TooManyRequests|RequestLimitExceeded|SlowDown/i;

/**
 * A failed Pulumi operation (preview, up, destroy) worth another try: another update holds the
 * stack's lock, or an AWS API throttled it. Read from the error's text, as the Automation API
 * reports the engine's failure. (Not traffic/sender.ts's isTransient, which judges one AWS SDK call
 * by its error code.)
 */
export function isRetryableUpdateError(e: unknown): boolean {
  return TRANSIENT.test(errorText(e));
}

// AWS's word for a resource that cannot take the call now because it is changing state: Managed
// Flink's DeleteApplication, UpdateApplication, StartApplication and StopApplication answer it while
// the application is STARTING, STOPPING or UPDATING (API reference: DeleteApplication; #22 item 4).
const BUSY = /ResourceInUseException/;

/**
 * A failed Pulumi operation that will work once a resource has finished changing state (an
 * application that the stop schedule, `extend` or a rollout is stopping, starting or updating).
 * Worth waiting for longer than a throttle: see RunOptions.busyWaitMs.
 */
export function isBusyResourceError(e: unknown): boolean {
  return BUSY.test(errorText(e));
}

/**
 * The line of a failed operation's error that names the busy resource (the engine's diagnostic,
 * first in the message: workshop/pulumiWorkspace.ts); the error's name and first line when only its
 * name says it (an SDK error); undefined when the error is not one of a busy resource.
 */
export function busyLine(e: unknown): string | undefined {
  const line = (e instanceof Error ? e.message : String(e)).split("\n").find((l) => BUSY.test(l));
  return (line ?? (isBusyResourceError(e) ? errorText(e).split("\n")[0] : undefined))?.trim();
}

/** RunOptions.busyWaitMs's default: a stop takes a snapshot first, and a start or an update restarts the job. */
export const BUSY_WAIT_MS = 15 * 60_000;

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export function configHash(spec: StackSpec): string {
  const sorted = Object.keys(spec.config)
    .sort()
    .map((k) => [k, spec.config[k]!.value]);
  return createHash("sha256")
    .update(JSON.stringify([spec.stack, spec.profile ?? "", sorted]))
    .digest("hex")
    .slice(0, 16);
}

export interface EventSpec {
  readonly specs: readonly StackSpec[];
  /** endsAt of the event, recorded so that `destroy --expired` knows. */
  readonly endsAt: string;
}

/**
 * Back-off for one team's operation: lock conflicts and throttling are tried `attempts` times in
 * all; a resource busy changing state is waited for, trying again with back-off (capped at
 * `maxDelayMs`), until `busyWaitMs` has passed since the first busy answer. Nothing else is tried
 * again. `onWait` hears each wait (the progress line says why the team is not moving).
 */
export function retryOptions(o: RunOptions, onWait?: (why: string) => void): BackoffOptions {
  let transient = 0;
  let busySince: number | undefined;
  return {
    numOfAttempts: Number.MAX_SAFE_INTEGER,
    startingDelay: o.startingDelayMs ?? 2000,
    maxDelay: o.maxDelayMs ?? 60_000,
    jitter: "full",
    retry: (e) => {
      if (isBusyResourceError(e)) {
        busySince ??= Date.now();
        const waiting = Date.now() - busySince < (o.busyWaitMs ?? BUSY_WAIT_MS);
        if (waiting) onWait?.(`waiting for a resource to finish changing state: ${busyLine(e) ?? ""}`);
        return waiting;
      }
      transient++;
      return isRetryableUpdateError(e) && transient < (o.attempts ?? 4);
    },
  };
}

export class Orchestrator {
  constructor(
    private readonly workspace: Workspace,
    private readonly state: StateStore,
    private readonly tagged?: TaggedResources,
  ) {}

  /** Remembers a team that did not come up, so that the next provision tries it again. */
  private recordFailure(spec: StackSpec, endsAt: string, error: string): void {
    this.state.set(spec.team, {
      stack: spec.stack,
      status: "failed",
      configHash: "",
      endsAt,
      updatedAt: new Date().toISOString(),
      error,
      ...(spec.profile ? { profile: spec.profile } : {}),
    });
  }

  /** A team refused by the policy pack at its preview: recorded, reported and logged; nothing was created. */
  private refuse(
    spec: StackSpec,
    endsAt: string,
    violations: readonly PolicyViolation[],
    attempt: number,
    o: RunOptions,
    report: (message: string) => void,
  ): TeamResult {
    const error = `refused by the policy pack before anything was created:\n${violations.map((v) => `  - ${v.policy}: ${v.message}${v.urn ? ` (${v.urn.split("::").pop()})` : ""}`).join("\n")}`;
    this.recordFailure(spec, endsAt, error);
    report(`${violations.length} mandatory policy violation(s): ${violations[0]!.policy}`);
    o.log?.(spec.team, `REFUSED: ${error}`);
    return { team: spec.team, state: "refused", attempts: attempt, error };
  }

  private async forEach<T extends { team: string }>(
    items: readonly T[],
    o: RunOptions,
    run: (item: T, report: (p: Omit<TeamProgress, "team" | "elapsedMs">) => void) => Promise<TeamResult>,
  ): Promise<TeamResult[]> {
    if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
      throw new RangeError(`concurrency must be a whole number of at least 1, not ${o.concurrency}`);
    const limit = pLimit(o.concurrency);
    for (const item of items) o.onProgress?.({ team: item.team, state: "queued", done: 0, total: 0, elapsedMs: 0, attempt: 0 });
    return Promise.all(
      items.map((item) =>
        limit(async () => {
          const t0 = performance.now();
          const report = (p: Omit<TeamProgress, "team" | "elapsedMs">) =>
            o.onProgress?.({ ...p, team: item.team, elapsedMs: performance.now() - t0 });
          return run(item, report);
        }),
      ),
    );
  }

  /**
   * Brings every team's stack up; resumes: a team already up with the same config is skipped.
   * Each team is previewed with the policy pack first: a mandatory violation refuses the team
   * before any of its resources exist (its `up` would run the pack only as it creates them).
   */
  async provision(event: EventSpec, o: RunOptions): Promise<TeamResult[]> {
    await this.workspace.installPlugins();
    const existing = new Set(await this.workspace.listStacks());
    return this.forEach(event.specs, o, async (spec, report) => {
      const hash = configHash(spec);
      const before = this.state.get(spec.team);
      if (before?.status === "up" && before.configHash === hash && existing.has(spec.stack)) {
        report({ state: "skipped", done: 0, total: 0, attempt: 0, message: "up to date" });
        return { team: spec.team, state: "skipped", attempts: 0 };
      }
      let attempt = 0;
      let done = 0;
      let total = 0;
      try {
        report({ state: "previewing", done, total, attempt });
        const violations = await backOff(() => this.workspace.preview(spec, (line) => o.log?.(spec.team, line)), retryOptions(o));
        if (violations.length > 0)
          return this.refuse(spec, event.endsAt, violations, attempt, o, (message) =>
            report({ state: "refused", done, total, attempt, message }),
          );
        const outputs = await backOff(
          () => {
            attempt++;
            report({ state: attempt > 1 ? "retrying" : "running", done, total, attempt });
            return this.workspace.up(
              spec,
              (d, t) => {
                done = d;
                total = t;
                report({ state: "running", done, total, attempt });
              },
              (line) => o.log?.(spec.team, line),
            );
          },
          retryOptions(o, (why) => {
            report({ state: "retrying", done, total, attempt, message: why });
            o.log?.(spec.team, why);
          }),
        );
        this.state.set(spec.team, {
          stack: spec.stack,
          status: "up",
          configHash: hash,
          endsAt: event.endsAt,
          updatedAt: new Date().toISOString(),
          ...(spec.profile ? { profile: spec.profile } : {}),
        });
        report({ state: "up", done: total, total, attempt });
        return { team: spec.team, state: "up", attempts: attempt, outputs };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        this.recordFailure(spec, event.endsAt, error);
        report({ state: "failed", done, total, attempt, message: error.split("\n")[0]! });
        o.log?.(spec.team, `FAILED after ${attempt} attempt(s): ${error}`);
        return { team: spec.team, state: "failed", attempts: attempt, error };
      }
    });
  }

  /** Destroys, removes each stack, then lists anything still tagged with the team. */
  async destroy(teams: readonly { team: string; stack: string; profile?: string; event: string }[], o: RunOptions): Promise<TeamResult[]> {
    return this.forEach(teams, o, async (t, report) => {
      let attempt = 0;
      try {
        const { deleted } = await backOff(
          () => {
            attempt++;
            report({ state: "destroying", done: 0, total: 0, attempt });
            return this.workspace.destroy(
              t.stack,
              (done, total) => report({ state: "destroying", done, total, attempt }),
              (line) => o.log?.(t.team, line),
              t.profile,
            );
          },
          retryOptions(o, (why) => {
            report({ state: "retrying", done: 0, total: 0, attempt, message: why });
            o.log?.(t.team, why);
          }),
        );
        await this.workspace.removeStack(t.stack);
        const leftovers = this.tagged ? await this.tagged.find({ event: t.event, team: t.team }, t.profile) : undefined;
        const before = this.state.get(t.team);
        this.state.set(t.team, {
          stack: t.stack,
          status: "destroyed",
          configHash: "",
          endsAt: before?.endsAt ?? "",
          updatedAt: new Date().toISOString(),
          ...(t.profile ? { profile: t.profile } : {}),
        });
        report({
          state: "destroyed",
          done: 0,
          total: 0,
          attempt,
          ...(leftovers?.length ? { message: `${leftovers.length} leftover(s)` } : {}),
        });
        return { team: t.team, state: "destroyed", attempts: attempt, deleted, ...(leftovers ? { leftovers } : {}) };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        report({ state: "failed", done: 0, total: 0, attempt, message: error.split("\n")[0]! });
        return { team: t.team, state: "failed", attempts: attempt, error };
      }
    });
  }
}
