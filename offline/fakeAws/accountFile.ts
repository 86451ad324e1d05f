// The fake account's state file, shared by every provider process of every stack (plugin.ts) and by
// the tagging API (taggingApi.ts): read whole without a lock (writes are atomic renames), changed
// under an exclusive lock, saved owner-only and never through a link (it holds the stacks' random
// passwords: issue #26, kinds 1 and 7).

import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import * as lockfile from "proper-lockfile";
import { writeSecretFile } from "../../secretFile";
import { AwsRuleViolation, FakeAccount, type AccountState } from "./core";

/** The file was there but is not an account this fake wrote. The message names the file and the fix. */
export class CorruptAccountFile extends Error {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(
      `the fake AWS account's file ${file} is corrupt (${why}): it is not an account the fake wrote. ` +
        "Delete it to start from an empty account (every stack in it is lost), or restore it from a copy.",
    );
    this.name = "CorruptAccountFile";
  }
}

/**
 * The account saved at `file`; an empty account when there is no file yet.
 * @throws CorruptAccountFile when the file is not JSON or not an account's shape (resources, taken).
 */
export function loadAccount(file: string): FakeAccount {
  if (!existsSync(file)) return new FakeAccount();
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CorruptAccountFile(file, text.trim() === "" ? "it is empty" : `not JSON: ${(e as Error).message}`);
  }
  const s = parsed as Partial<AccountState> | null;
  if (s === null || typeof s !== "object" || Array.isArray(s)) throw new CorruptAccountFile(file, "not a JSON object");
  if (typeof s.accountId !== "string" || !/^\d{12}$/.test(s.accountId)) throw new CorruptAccountFile(file, "no 12-digit accountId");
  if (!Array.isArray(s.resources)) throw new CorruptAccountFile(file, "no resources list");
  if (s.taken === null || typeof s.taken !== "object" || Array.isArray(s.taken)) throw new CorruptAccountFile(file, "no taken names");
  const bad = s.resources.findIndex(
    (r: unknown) =>
      r === null ||
      typeof r !== "object" ||
      typeof (r as Record<string, unknown>).type !== "string" ||
      typeof (r as Record<string, unknown>).id !== "string" ||
      typeof (r as Record<string, unknown>).stack !== "string" ||
      typeof (r as Record<string, unknown>).state !== "object",
  );
  if (bad >= 0) throw new CorruptAccountFile(file, `resource ${bad} has no type, id, stack or state`);
  return FakeAccount.fromJSON(s as AccountState);
}

/**
 * Runs `op` on the account at `file` under an exclusive lock and saves what it leaves, atomically
 * and owner-only (0600). Nothing is saved when `op` throws, unless AWS had applied the change before
 * it failed (an AwsRuleViolation with `applied`, e.g. an application that took its new
 * configuration and then failed to start).
 * @throws CorruptAccountFile as loadAccount; whatever `op` throws.
 */
export async function changeAccount<T>(file: string, op: (account: FakeAccount) => T): Promise<T> {
  const release = await lockfile.lock(dirname(file), {
    lockfilePath: `${file}.lock`,
    retries: { retries: 200, minTimeout: 10, maxTimeout: 200 },
    stale: 30_000,
  });
  try {
    const account = loadAccount(file);
    const save = () => writeSecretFile(file, JSON.stringify(account.toJSON()), "FAKE_AWS_ACCOUNT");
    let result: T;
    try {
      result = op(account);
    } catch (e) {
      if (e instanceof AwsRuleViolation && e.applied) save();
      throw e;
    }
    save();
    return result;
  } finally {
    await release();
  }
}
