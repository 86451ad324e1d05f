// What the instructor CLI remembers between runs, per team: the stack, the hash of the config it
// was last brought up with, and how that ended. It is what makes `provision` resumable: a team
// whose stack is up with the same config is skipped.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeSecretFile } from "../secretFile";

export type TeamStatus = "up" | "failed" | "destroyed";

export interface TeamRecord {
  readonly stack: string;
  readonly status: TeamStatus;
  readonly configHash: string;
  readonly endsAt: string;
  readonly profile?: string;
  readonly updatedAt: string;
  readonly error?: string;
  /**
   * Set when this team was a rollout's canary and failed its check (workshop/rollout.ts): it is on
   * the version that failed, so the next `update` checks it first again instead of choosing another
   * canary. Cleared when its check passes. `at`: ISO time of the failed check; `detail`: why.
   */
  readonly canaryFailed?: { readonly at: string; readonly detail: string };
}

export interface StateStore {
  get(team: string): TeamRecord | undefined;
  all(): Record<string, TeamRecord>;
  set(team: string, record: TeamRecord): void;
}

export function memoryState(initial: Record<string, TeamRecord> = {}): StateStore {
  const teams = { ...initial };
  return { get: (t) => teams[t], all: () => ({ ...teams }), set: (t, r) => void (teams[t] = r) };
}

/**
 * A JSON file, rewritten atomically after every change so that a crash loses nothing; owner-only
 * (secretFile.ts), since a team's recorded error is whatever its deployment printed.
 */
export function fileState(path: string): StateStore {
  const teams: Record<string, TeamRecord> = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as { teams: Record<string, TeamRecord> }).teams
    : {};
  return {
    get: (t) => teams[t],
    all: () => ({ ...teams }),
    set(t, r) {
      teams[t] = r;
      mkdirSync(dirname(path), { recursive: true });
      writeSecretFile(path, JSON.stringify({ teams }, null, 2), "--state");
    },
  };
}
