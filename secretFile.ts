// Files that hold a secret (a hand-out with passwords, the fake account's state with its random
// passwords): written so that they end owner-only whatever was at the path before, and never
// through a symbolic link (issue #26, kind 1).
//
// Why not writeFileSync(path, text, { mode: 0o600 }): the mode applies only when the call creates
// the file, so an existing 0644 file stays 0644, and the call follows a symbolic link at the path
// and writes into its target. Here a fresh file is created beside the target with O_CREAT|O_EXCL
// (which fails on anything already there, a link included, instead of following it), set to 0600
// and filled, then renamed over the path: rename(2) replaces the directory entry itself, so the old
// file's mode and a link's target are never touched, and a reader sees the old or the new content,
// never half of it.

import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";

/** Owner read and write, nothing for group and others. */
export const SECRET_FILE_MODE = 0o600;

/**
 * Why `path` cannot take a file with a secret in it, as one sentence that starts with `label`
 * (e.g. "--out"), or undefined when it can: empty, an existing folder, a symbolic link, something
 * that is not a regular file, or a folder that does not exist. Checks what can be known before
 * writing; {@link writeSecretFile} stays safe if the path changes in between.
 */
export function secretPathProblem(path: string, label = "the file"): string | undefined {
  if (path.trim() === "") return `${label} is empty: name a file to write`;
  const at = lstatOrUndefined(path);
  const named = `${label} ${path}`;
  if (at?.isSymbolicLink())
    return `${named} is a symbolic link: name the file itself (a secret is never written through a link, which could point anywhere)`;
  if (at?.isDirectory()) return `${named} is a folder: name a file in it, e.g. ${join(path, "handout.csv")}`;
  if (at && !at.isFile()) return `${named} is not a regular file: name a file to write`;
  const dir = dirname(resolve(path));
  const parent = statOrUndefined(dir);
  if (!parent) return `${named}: the folder ${dir} does not exist; create it first`;
  if (!parent.isDirectory()) return `${named}: ${dir} is not a folder`;
  return undefined;
}

/**
 * Writes `content` to `path` as an owner-only (0600) file: a temporary file in the same folder,
 * created exclusively with mode 0600, synced, then renamed over `path`. Whatever was at `path`
 * before (a 0644 file, a symbolic link) is replaced, never written into or followed.
 *
 * @param label how an error names the path, e.g. "--out" (the option it came from)
 * @throws Error naming `label` when {@link secretPathProblem} finds a problem (nothing written),
 *   or the system error of the write (the temporary file removed)
 */
export function writeSecretFile(path: string, content: string | Uint8Array, label = "the file"): void {
  const problem = secretPathProblem(path, label);
  if (problem) throw new Error(problem);
  const temp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  // "wx": O_CREAT|O_EXCL, which also refuses (EEXIST) a link planted at the temporary name.
  const fd = openSync(temp, "wx", SECRET_FILE_MODE);
  try {
    try {
      fchmodSync(fd, SECRET_FILE_MODE); // the umask may have taken bits from the mode given to open
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never created: nothing to clean
    }
    throw e;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
