// How many teams the instructor's machine runs at once, and how long the rest will take. One team's
// operation is the Pulumi engine, our program, our policy pack and the AWS provider plugin, each a
// process of its own; their cost was measured by `npm run bench:stack` (docs/benchmarks.md), and
// AWS's own create and update times, which no machine shortens, come from the figures below.

import { cpus, freemem, totalmem } from "node:os";

/** What one team's operation costs on the instructor's machine (one preview and one up, with the pack). */
export interface TeamCost {
  /** Resident memory of one team's operation at its peak, MB, all its processes together. */
  readonly peakMb: number;
  /** CPU-seconds of one team's preview + up, all its processes together. */
  readonly cpuSeconds: number;
  /** Wall seconds of the engine's own work for one team's preview + up (AWS's waits excluded), on a free core. */
  readonly engineSeconds: number;
}

/**
 * The measured part: the program, the pack and the engine (`pulumi`) of one team's preview + up
 * (create) with the pack, as `npm run bench:stack` measured them on the real engine on this 2-core
 * machine, 2026-12-06 (docs/benchmarks.md): per operation the program 2.7 CPU-seconds and at most
 * 353 MB, the pack 1.6 CPU-seconds and 180 MB, the engine about 1.1 CPU-seconds and 124 MB (before
 * issue 24: about 10 s and 950 MB, 9 s and 800 MB). A team runs two operations. `engineSeconds` is
 * the measured 21 s wall of both, rounded (the machine had other work beside it). Re-measure with
 * `npm run bench:stack` after changing the program or the pack.
 */
export const ENGINE_SIDE: TeamCost = { peakMb: 353 + 180 + 124, cpuSeconds: 2 * (2.7 + 1.6 + 1.1), engineSeconds: 20 };

/**
 * The real AWS provider plugin (pulumi-resource-aws, a Go binary of the Terraform bridge), which this
 * machine cannot obtain or run: an assumption, not a measurement. It loads the whole AWS schema; about
 * 500 MB resident and a few CPU-seconds per operation are what to plan for until it is measured on
 * an instructor's laptop (docs/sizing-an-event.md says how).
 */
export const AWS_PROVIDER: TeamCost = { peakMb: 500, cpuSeconds: 4, engineSeconds: 0 };

/** One team's operation as the instructor's machine carries it: ours, measured, plus the provider's, assumed. */
export const TEAM_COST: TeamCost = {
  peakMb: ENGINE_SIDE.peakMb + AWS_PROVIDER.peakMb,
  cpuSeconds: ENGINE_SIDE.cpuSeconds + AWS_PROVIDER.cpuSeconds,
  engineSeconds: ENGINE_SIDE.engineSeconds,
};

/**
 * AWS's own time for one team, seconds: the longest chain the engine waits for. Every other resource
 * of a team (streams, buckets, roles, Firehose, Cognito) is created beside it and sooner.
 *
 * The chain is the Managed Flink application: the program creates it with `startApplication: true`
 * (components/analytics.ts), so the provider waits for CreateApplication and then for RUNNING; an
 * update (a new JAR, threshold or endsAt) restarts the job and waits again. AWS publishes no duration
 * for either. The provider's waiter gives up after 10 minutes for create and update: the Terraform AWS
 * provider (which pulumi-aws bridges) raised its default from 5 to 10 minutes because applications
 * kept exceeding 5 (hashicorp/terraform-provider-aws pull request 21094). `typical` is a planning
 * figure below that bound, not a measurement: replace it with what the first real event's logs show
 * (each team's log has the engine's timestamps).
 */
export const AWS_SECONDS = {
  create: { typical: 5 * 60, bound: 10 * 60 },
  update: { typical: 3 * 60, bound: 10 * 60 },
} as const;

/**
 * Teams in flight past which more concurrency buys nothing but throttling: each team's create calls
 * land on the same account's control planes (Kinesis CreateStream allows 5 transactions per second
 * per account, per its API reference), and the orchestrator retries throttling with back-off.
 */
export const MAX_DEFAULT_CONCURRENCY = 16;

/** Memory kept free for the instructor CLI itself, the OS and everything else on the laptop, MB. */
export const RESERVED_MB = 1024;

/** What the machine offers: free memory in MB and logical cores. */
export interface Machine {
  readonly freeMb: number;
  readonly totalMb: number;
  readonly cores: number;
}

/** This machine, from Node's os module. */
export function thisMachine(): Machine {
  return { freeMb: Math.floor(freemem() / 2 ** 20), totalMb: Math.floor(totalmem() / 2 ** 20), cores: cpus().length || 1 };
}

export interface ConcurrencyChoice {
  readonly concurrency: number;
  readonly limitedBy: "memory" | "cpu" | "cap";
  /** One sentence: the figures behind the choice, for the CLI to print. */
  readonly reason: string;
}

const gb = (mb: number) => (mb / 1024).toFixed(1);

/**
 * The default number of teams in flight: as many as free memory holds (RESERVED_MB kept back), as
 * many as the cores keep busy, given that a team spends most of its wall time waiting for AWS (the
 * engine's CPU-seconds spread over `engineSeconds + awsSeconds`), and never more than
 * MAX_DEFAULT_CONCURRENCY. At least 1.
 */
export function defaultConcurrency(
  machine: Machine = thisMachine(),
  cost: TeamCost = TEAM_COST,
  awsSeconds: number = AWS_SECONDS.create.typical,
): ConcurrencyChoice {
  const byMemory = Math.max(1, Math.floor((machine.freeMb - RESERVED_MB) / cost.peakMb));
  const coresPerTeam = cost.cpuSeconds / (cost.engineSeconds + awsSeconds);
  const byCpu = Math.max(1, Math.floor(machine.cores / coresPerTeam));
  const concurrency = Math.min(byMemory, byCpu, MAX_DEFAULT_CONCURRENCY);
  const memory = `${gb(machine.freeMb)} GB free, ${gb(RESERVED_MB)} GB kept back, ~${gb(cost.peakMb)} GB per team in flight`;
  if (concurrency === byMemory && byMemory < MAX_DEFAULT_CONCURRENCY)
    return { concurrency, limitedBy: "memory", reason: `limited by memory: ${memory}` };
  if (concurrency === byCpu && byCpu < MAX_DEFAULT_CONCURRENCY)
    return {
      concurrency,
      limitedBy: "cpu",
      reason: `limited by CPU: ${machine.cores} core(s), each team keeps ~${coresPerTeam.toFixed(2)} of a core busy over its ~${Math.round((cost.engineSeconds + awsSeconds) / 60)} min`,
    };
  return {
    concurrency,
    limitedBy: "cap",
    reason: `the most worth running against one account's control planes (${memory})`,
  };
}

/**
 * A warning when `requested` teams in flight need more memory than is free, or undefined.
 * (The CLI takes the instructor's number; this says what it risks.)
 */
export function concurrencyWarning(requested: number, machine: Machine = thisMachine(), cost: TeamCost = TEAM_COST): string | undefined {
  const needMb = requested * cost.peakMb + RESERVED_MB;
  if (needMb <= machine.freeMb) return undefined;
  const fits = Math.max(1, Math.floor((machine.freeMb - RESERVED_MB) / cost.peakMb));
  return `--concurrency ${requested} needs ~${gb(needMb)} GB and ${gb(machine.freeMb)} GB is free: about ${fits} fit; beyond that the machine swaps or the kernel kills a team's engine mid-update.`;
}

export interface Estimate {
  /** Seconds left, typical. */
  readonly seconds: number;
  /** Seconds left if every AWS wait runs to the provider's bound. */
  readonly boundSeconds: number;
  /** How it was computed, for the CLI to print once. */
  readonly basis: string;
}

/**
 * Time left for `teams` teams at `concurrency` in flight, each costing the engine's time (stretched
 * when the teams in flight want more CPU than `cores`) plus AWS's create or update time (AWS_SECONDS).
 * Once some teams have finished, pass their mean wall seconds as `observedSeconds`: it replaces the
 * model, because it is what this event's account and network actually take.
 */
export function estimate(
  o: {
    teams: number;
    concurrency: number;
    kind: "create" | "update";
    cores?: number;
    observedSeconds?: number;
  },
  cost: TeamCost = TEAM_COST,
): Estimate {
  const cores = o.cores ?? thisMachine().cores;
  const rounds = Math.ceil(o.teams / Math.max(1, o.concurrency));
  const aws = AWS_SECONDS[o.kind];
  // The engine's work stretches when the teams in flight together want more cores than there are.
  const cpuDemand = (Math.min(o.concurrency, o.teams) * cost.cpuSeconds) / Math.max(cost.engineSeconds, 1);
  const engine = cost.engineSeconds * Math.max(1, cpuDemand / cores);
  if (o.observedSeconds !== undefined) {
    const s = rounds * o.observedSeconds;
    return {
      seconds: s,
      boundSeconds: Math.max(s, rounds * (engine + aws.bound)),
      basis: `${rounds} round(s) × ${Math.round(o.observedSeconds)} s, the mean of the teams done so far`,
    };
  }
  return {
    seconds: rounds * (engine + aws.typical),
    boundSeconds: rounds * (engine + aws.bound),
    basis: `${rounds} round(s) of ${Math.min(o.concurrency, o.teams)} × (engine ~${Math.round(engine)} s + AWS ${o.kind} ~${aws.typical / 60} min, at most ${aws.bound / 60}: Managed Flink, see workshop/capacity.ts)`,
  };
}

/** "12 min" / "1 h 05 min" / "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const min = Math.round(seconds / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, "0")} min`;
}

const TERMINAL = new Set(["up", "skipped", "refused", "failed", "destroyed"]);

/**
 * Follows a run's progress (the orchestrator's TeamProgress) and says how long is left: the model
 * (estimate) until the first team finishes, then the mean of the teams that did work (a skipped
 * team took no time and counts as done). Returns the line to show, or undefined when nothing changed.
 */
export function etaTracker(
  o: { teams: number; concurrency: number; kind: "create" | "update"; cores?: number },
  cost: TeamCost = TEAM_COST,
): {
  update(p: { team: string; state: string; elapsedMs: number }): string | undefined;
} {
  const finished = new Map<string, number>();
  let last = "";
  return {
    update(p) {
      if (!TERMINAL.has(p.state) || finished.has(p.team)) return undefined;
      finished.set(p.team, p.state === "skipped" ? -1 : p.elapsedMs / 1000);
      const worked = [...finished.values()].filter((s) => s >= 0);
      const left = o.teams - finished.size;
      if (left <= 0) return (last = "all teams done");
      const e = estimate(
        {
          teams: left,
          concurrency: o.concurrency,
          kind: o.kind,
          ...(o.cores ? { cores: o.cores } : {}),
          ...(worked.length ? { observedSeconds: worked.reduce((a, s) => a + s, 0) / worked.length } : {}),
        },
        cost,
      );
      const line = `${left} team(s) left: ~${formatDuration(e.seconds)} (at most ${formatDuration(e.boundSeconds)})`;
      if (line === last) return undefined;
      return (last = line);
    },
  };
}
