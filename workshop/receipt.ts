// The receipt `destroy` ends with: per team, what its destroy deleted (resources by type, as the
// engine reported each deletion) and what the Resource Groups Tagging API still finds tagged with
// the event and the team afterwards. It is what an instructor keeps to show that the event's
// account holds nothing that bills: nothing left means no shard, log group, bucket or role left.

import type { TeamResult } from "./orchestrator";

export interface TeamReceipt {
  readonly team: string;
  readonly destroyed: boolean;
  /** Cloud resources deleted, by type token; Pulumi's own (providers, components) left out. */
  readonly deleted: Record<string, number>;
  readonly deletedTotal: number;
  /** ARNs still tagged with the team; undefined when the tagging API was not asked. */
  readonly leftovers?: readonly string[];
  readonly error?: string;
}

export interface Receipt {
  readonly event: string;
  /** When the receipt was made (ISO 8601, UTC). */
  readonly at: string;
  readonly teams: readonly TeamReceipt[];
  /** Every team destroyed and the tagging API asked and empty for each. */
  readonly clean: boolean;
}

/** Providers, the stack and the project's components are Pulumi's bookkeeping, not AWS resources. */
const cloudResource = (type: string) => !type.startsWith("pulumi:") && !type.startsWith("clickstream:");

/** The receipt of a destroy run, from the orchestrator's per-team results. */
export function receiptOf(results: readonly TeamResult[], event: string, at: Date = new Date()): Receipt {
  const teams = results.map((r): TeamReceipt => {
    const deleted = Object.fromEntries(
      Object.entries(r.deleted ?? {})
        .filter(([type]) => cloudResource(type))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    return {
      team: r.team,
      destroyed: r.state === "destroyed",
      deleted,
      deletedTotal: Object.values(deleted).reduce((s, n) => s + n, 0),
      ...(r.leftovers ? { leftovers: r.leftovers } : {}),
      ...(r.error ? { error: r.error.split("\n")[0]! } : {}),
    };
  });
  return {
    event,
    at: at.toISOString(),
    teams,
    clean: teams.every((t) => t.destroyed && t.leftovers !== undefined && t.leftovers.length === 0),
  };
}

/** The receipt as text: a block per team, then one verdict line. */
export function formatReceipt(r: Receipt): string {
  const lines = [`Receipt: event ${r.event}, ${r.teams.length} team(s), ${r.at}`];
  for (const t of r.teams) {
    if (!t.destroyed) {
      lines.push(`  ${t.team}: NOT DESTROYED: ${t.error ?? "unknown error"}; its resources still bill: run destroy for it again`);
      continue;
    }
    lines.push(`  ${t.team}: deleted ${t.deletedTotal} resource(s)`);
    for (const [type, n] of Object.entries(t.deleted)) lines.push(`      ${String(n).padStart(3)}  ${type}`);
    if (t.leftovers === undefined) lines.push(`    tagging API: not asked, so nothing is proven about leftovers`);
    else if (t.leftovers.length === 0) lines.push(`    tagging API: nothing left tagged event=${r.event} team=${t.team}`);
    else {
      lines.push(`    tagging API: ${t.leftovers.length} LEFT tagged event=${r.event} team=${t.team} (delete them by hand):`);
      for (const arn of t.leftovers) lines.push(`      ${arn}`);
    }
  }
  const total = r.teams.reduce((s, t) => s + t.deletedTotal, 0);
  lines.push(
    r.clean
      ? `All clear: ${r.teams.length} team(s) destroyed, ${total} resource(s) deleted, nothing left tagged with the event's teams.`
      : `NOT CLEAR: ${r.teams.filter((t) => !t.destroyed).length} team(s) not destroyed, ${r.teams.filter((t) => (t.leftovers?.length ?? 0) > 0).length} with leftovers, ${r.teams.filter((t) => t.destroyed && t.leftovers === undefined).length} not checked.`,
  );
  return lines.join("\n") + "\n";
}
