// Files that hold a secret end owner-only whatever was at the path before, and are never written
// through a symbolic link (issue #26, kind 1): secretFile.ts, which every such file goes through.

import { strict as assert } from "node:assert";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SECRET_FILE_MODE, secretPathProblem, writeSecretFile } from "../secretFile";

const modeOf = (p: string) => statSync(p).mode & 0o777;

describe("secret files (secretFile.ts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "secret-file-"));

  it("replaces an existing 0644 file with an owner-only one (writeFileSync's mode applied only at creation)", () => {
    const path = join(dir, "handout.csv");
    writeFileSync(path, "old\n", { mode: 0o644 });
    chmodSync(path, 0o644);
    writeSecretFile(path, "team,password\nt1,pw\n");
    assert.equal(modeOf(path), SECRET_FILE_MODE);
    assert.equal(readFileSync(path, "utf8"), "team,password\nt1,pw\n");
  });

  it("ends 0600 over a file that was world-writable or read-only, and when the file is new", () => {
    for (const [name, mode] of [
      ["rw.csv", 0o666],
      ["ro.csv", 0o444],
      ["x.csv", 0o755],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, "old");
      chmodSync(path, mode);
      writeSecretFile(path, "new");
      assert.equal(modeOf(path), 0o600, name);
      assert.equal(readFileSync(path, "utf8"), "new");
    }
    const fresh = join(dir, "fresh.json");
    const umask = process.umask(0o000); // a permissive umask must not widen the file either
    try {
      writeSecretFile(fresh, "{}");
    } finally {
      process.umask(umask);
    }
    assert.equal(modeOf(fresh), 0o600);
  });

  it("refuses a symbolic link at the path and leaves its target untouched", () => {
    const target = join(dir, "elsewhere.txt");
    writeFileSync(target, "theirs");
    chmodSync(target, 0o644);
    const link = join(dir, "link.csv");
    symlinkSync(target, link);
    assert.throws(() => writeSecretFile(link, "secret", "--out"), /^Error: --out .*link\.csv is a symbolic link/);
    assert.equal(readFileSync(target, "utf8"), "theirs");
    assert.equal(modeOf(target), 0o644);
    assert.ok(lstatSync(link).isSymbolicLink());
    // a dangling link (the attacker's file not yet there) is refused the same way
    const dangling = join(dir, "dangling.csv");
    symlinkSync(join(dir, "not-yet"), dangling);
    assert.throws(() => writeSecretFile(dangling, "secret", "--out"), /is a symbolic link/);
    assert.equal(readdirSync(dir).includes("not-yet"), false);
  });

  it("names the option for an empty path, a folder and a missing folder, and writes nothing", () => {
    const before = readdirSync(dir).sort();
    assert.equal(secretPathProblem("", "--out"), "--out is empty: name a file to write");
    assert.equal(secretPathProblem("  ", "--out"), "--out is empty: name a file to write");
    assert.match(secretPathProblem(dir, "--out") ?? "", /^--out .* is a folder: name a file in it/);
    assert.match(secretPathProblem(join(dir, "nope", "h.csv"), "--out") ?? "", /^--out .*h\.csv: the folder .*nope does not exist/);
    const file = join(dir, "plain");
    writeFileSync(file, "");
    assert.match(secretPathProblem(join(file, "h.csv"), "--out") ?? "", /is not a folder/);
    assert.throws(() => writeSecretFile(dir, "x", "--out"), /--out .* is a folder/);
    assert.deepEqual(readdirSync(dir).sort(), [...before, "plain"].sort());
  });

  it("leaves no temporary file behind", () => {
    const sub = join(dir, "clean");
    mkdirSync(sub);
    writeSecretFile(join(sub, "a.json"), "1");
    writeSecretFile(join(sub, "a.json"), "2");
    assert.deepEqual(readdirSync(sub), ["a.json"]);
    assert.equal(readFileSync(join(sub, "a.json"), "utf8"), "2");
  });
});
