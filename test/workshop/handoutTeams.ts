// Two teams' stacks as the hand-out command reads them: the real program's outputs (run under the
// fake account's mocks, so every name, URL and password is what the program makes), the stack
// config an instructor's provision writes, and a state file saying both are up.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { valueOf } from "../../offline/fakeAws/account";
import { MemoryWorkspace } from "../../workshop/memoryWorkspace";
import type { OutputValue } from "../../workshop/workspace";
import { runTeam } from "../support";

export const PROJECT = "clickstream-lab";
/** The event's end as an instructor in Berlin writes it (the mocks' clock is 2026-11-28 12:00 UTC). */
export const ENDS_AT = "2026-11-28T19:00:00+01:00";

export interface HandoutTeams {
  readonly ws: MemoryWorkspace;
  readonly state: string;
  readonly dir: string;
  /** Each team's outputs, as plain values. */
  readonly outputs: Record<string, Record<string, string>>;
}

export async function handoutTeams(teams: readonly string[] = ["alpha", "beta"]): Promise<HandoutTeams> {
  const dir = mkdtempSync(join(tmpdir(), "handout-"));
  const ws = new MemoryWorkspace(0);
  const records: Record<string, unknown> = {};
  const outputs: Record<string, Record<string, string>> = {};
  for (const team of teams) {
    const run = await runTeam({ team, endsAt: ENDS_AT });
    const stack = `clickstream-${team}`;
    const plain: Record<string, string> = {};
    const wire: Record<string, OutputValue> = {};
    for (const [k, v] of Object.entries(run.outputs)) {
      const value = typeof v === "string" ? v : String(await valueOf(v as never));
      plain[k] = value;
      wire[k] = { value, secret: /Password$/.test(k) };
    }
    outputs[team] = plain;
    ws.stacks.set(stack, {
      team,
      stack,
      config: {
        [`${PROJECT}:team`]: { value: team },
        [`${PROJECT}:endsAt`]: { value: ENDS_AT },
        [`${PROJECT}:notificationEmail`]: { value: `${team}@example.com` },
        [`${PROJECT}:anomalyThreshold`]: { value: "2.8" },
      },
    });
    ws.extraOutputs.set(stack, wire);
    records[team] = { stack, status: "up", configHash: "", endsAt: ENDS_AT, updatedAt: "2026-11-28T11:00:00Z" };
  }
  const state = join(dir, "state.json");
  writeFileSync(state, JSON.stringify({ teams: records }));
  return { ws, state, dir, outputs };
}
