import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileHash } from "../../components/analytics";

describe("the JAR's content hash", () => {
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");

  it("is computed once per build and kept beside the file", () => {
    const file = join(mkdtempSync(join(tmpdir(), "jar-")), "job.jar");
    writeFileSync(file, "first build");
    assert.equal(fileHash(file), sha("first build"));
    assert.match(readFileSync(`${file}.sha256`, "utf8"), new RegExp(`\\t${sha("first build")}\\n$`));
    // A kept hash is used as long as size and time match: prove it by planting a different one.
    const [stamp] = readFileSync(`${file}.sha256`, "utf8").split("\t");
    writeFileSync(`${file}.sha256`, `${stamp}\t${"a".repeat(64)}\n`);
    assert.equal(fileHash(file), "a".repeat(64));
  });

  it("is computed again when the file changes, even to the same size", () => {
    const file = join(mkdtempSync(join(tmpdir(), "jar-")), "job.jar");
    writeFileSync(file, "build one");
    fileHash(file);
    writeFileSync(file, "build two");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(fileHash(file), sha("build two"));
  });
});
