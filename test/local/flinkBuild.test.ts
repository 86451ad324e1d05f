// Two `npm start` runs in one checkout share the Flink job's build outputs under analytics/target
// (issue 26, kind 4): the JAR and local-classpath.txt, which tells the local lab where Flink's jars
// are. A run used to read the other's half-written classpath, or both ran Maven in one target/.
// Here two runs in one process build through flinkClasspath with a Maven that writes slowly, while
// a third party keeps reading the shared file.

import { strict as assert } from "node:assert";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classpathFile, flinkClasspath, type FlinkBuild } from "../../local/lab";

/** What the fake Maven's dependency:build-classpath writes: long enough to be written in many pieces. */
const NEW = Array.from({ length: 200 }, (_, i) => `/m2/org/apache/flink/flink-${i}.jar`).join(":");
const OLD = Array.from({ length: 150 }, (_, i) => `/m2/old/flink-${i}.jar`).join(":");

describe("the local lab's shared Flink build (analytics/target)", () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), "flink-build-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A Maven project whose JAR is fresh and whose classpath file is older than its pom.xml. */
  function project(): { build: FlinkBuild; calls: string[][] } {
    const dir = join(root, "analytics");
    mkdirSync(join(dir, "src", "main"), { recursive: true });
    mkdirSync(join(dir, "target"), { recursive: true });
    mkdirSync(join(root, "sql"));
    writeFileSync(join(dir, "src", "main", "Job.java"), "class Job {}");
    writeFileSync(join(dir, "pom.xml"), "<project/>");
    const jar = join(dir, "target", "job.jar");
    writeFileSync(jar, "jar");
    const later = new Date(Date.now() + 60_000);
    utimesSync(jar, later, later);
    writeFileSync(join(dir, "target", "local-classpath.txt"), OLD);
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "target", "local-classpath.txt"), earlier, earlier);
    const calls: string[][] = [];
    const build: FlinkBuild = {
      dir,
      jar,
      sql: join(root, "sql"),
      lock: join(root, "work", "flink-build.lock"),
      // Maven's dependency plugin writes its output file as it goes: here 40 pieces, a tick apart.
      maven: async (args) => {
        calls.push(args);
        const out = args.find((a) => a.startsWith("-Dmdep.outputFile="))?.slice("-Dmdep.outputFile=".length);
        if (!out) return;
        writeFileSync(out, "");
        for (let i = 0; i < NEW.length; i += NEW.length / 40) {
          appendFileSync(out, NEW.slice(i, i + NEW.length / 40));
          await new Promise((r) => setTimeout(r, 2));
        }
      },
    };
    return { build, calls };
  }

  it("lets two runs at once resolve the classpath once, and no reader ever sees half a file", async () => {
    const { build, calls } = project();
    const file = classpathFile(build);
    const seen = new Set<string>();
    let running = true;
    const reader = (async () => {
      while (running) {
        if (existsSync(file)) seen.add(readFileSync(file, "utf8"));
        await new Promise((r) => setImmediate(r));
      }
    })();
    const [a, b] = await Promise.all([flinkClasspath(build), flinkClasspath(build)]);
    running = false;
    await reader;
    const whole = `${build.jar}:${NEW}`;
    for (const [run, got] of [
      ["first", a],
      ["second", b],
    ] as const)
      assert.ok(got === whole, `the ${run} run read ${got.length} of the classpath's ${whole.length} characters`);
    assert.equal(calls.length, 1, `Maven ran once, not once per run: ${JSON.stringify(calls)}`);
    const torn = [...seen].filter((text) => text !== OLD && text !== NEW);
    assert.deepEqual(
      torn.map((t) => `${t.length} chars`),
      [],
      "a reader saw the old classpath or the new one, never part of one",
    );
    assert.ok(seen.has(OLD) || seen.has(NEW), "the reader read the file while the runs built it");
  });

  it("leaves no file of its own beside the shared one, and no lock, once Maven fails", async () => {
    const { build } = project();
    const failing: FlinkBuild = {
      ...build,
      maven: (args) => {
        const out = args.find((a) => a.startsWith("-Dmdep.outputFile="))?.slice("-Dmdep.outputFile=".length);
        if (out) writeFileSync(out, NEW.slice(0, 30));
        return Promise.reject(new Error("resolving Flink's local runtime failed"));
      },
    };
    await assert.rejects(flinkClasspath(failing), /resolving Flink's local runtime failed/);
    assert.equal(readFileSync(classpathFile(build), "utf8"), OLD, "the shared file is untouched by the failed run");
    assert.deepEqual(
      readdirSync(join(build.dir, "target")).sort(),
      ["job.jar", "local-classpath.txt"],
      "the failed run's own file is removed",
    );
    assert.equal(existsSync(build.lock), false, "the lock is released");
  });
});
