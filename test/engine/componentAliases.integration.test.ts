// Issue 15, items 3 and 4, on the real engine (built from source, scripts/setup-engine.sh) against
// the fake AWS account: a stack deployed by the program as it was at FORMER_COMMIT (component
// tokens with the workshop phase, `clickstream:prelab:Ingest` …, and the processed bucket under
// the Archive component) is brought up by today's program (`clickstream:index:<Type>`, the
// processed bucket under Alert, the JAR in its own code bucket). The aliases must keep every
// deployed resource: the preview deletes nothing but the JAR object, which moves into the code
// bucket by design, and the processed bucket is the same bucket after `up`.
//
// The former program is the repository's own history (`git archive`), so a clone needs that
// commit (a shallow CI clone: `git fetch --unshallow`).

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, type EngineSandbox } from "../../offline/engine/sandbox";
import { JAR_PATH, ROOT } from "../../paths";
import { endsAtIn, initStack, pulumiOk } from "../support/engine";

/** The last commit with the phase in the component tokens and the processed bucket in Archive. */
const FORMER_COMMIT = "4844728c29bdca371e5349a928992dc5451bee8c";

type Step = { op: string; urn: string };
const nameOf = (urn: string) => urn.split("::").pop()!;

describe("component tokens and the processed bucket's move, on the real engine", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  let former: string;
  const pulumiIn = (cwd: string, args: string[]) => pulumiOk(sb, args, { cwd });
  const bucket = (suffix: string) =>
    sb
      .account()
      .resources.find(
        (r) =>
          r.type === "aws:s3/bucket:Bucket" && String(r.state.bucket).startsWith("dev-solo-") && String(r.state.bucket).includes(suffix),
      );

  before(async () => {
    sb = createSandbox();
    // The former program: its files from git, this clone's node_modules and JAR.
    former = join(mkdtempSync(join(tmpdir(), "former-program-")), "project");
    mkdirSync(former);
    let tar: Buffer;
    try {
      tar = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", FORMER_COMMIT], { maxBuffer: 1 << 30 });
    } catch (e) {
      throw new Error(`commit ${FORMER_COMMIT} is not in this clone (a shallow clone? git fetch --unshallow)`, { cause: e });
    }
    execFileSync("tar", ["-x", "-C", former], { input: tar });
    symlinkSync(join(ROOT, "node_modules"), join(former, "node_modules"));
    mkdirSync(join(former, "analytics", "target"), { recursive: true });
    symlinkSync(JAR_PATH, join(former, "analytics", "target", "clickstream-analytics-1.0.0.jar"));

    await initStack(
      sb,
      "dev",
      [
        ["notificationEmail", "you@example.com"],
        ["endsAt", endsAtIn(4)],
      ],
      { cwd: former },
    );
  });
  after(() => {
    sb?.dispose();
    if (former) rmSync(join(former, ".."), { recursive: true, force: true });
  });

  it("deploys the former program", async () => {
    assert.match(await pulumiIn(former, ["up", "--yes"]), /\+ \d+ created/);
    assert.ok(bucket("-processed-"), "the former program created the processed bucket");
    assert.equal(bucket("-code-"), undefined, "the former program has no code bucket");
  });

  let processedId: string;
  it("previews today's program: no delete but the JAR object's, no component or bucket replaced", async () => {
    processedId = bucket("-processed-")!.id;
    // The same stack's configuration, in the current project.
    copyFileSync(join(former, "Pulumi.dev.yaml"), join(sb.project, "Pulumi.dev.yaml"));
    await pulumiIn(sb.project, ["stack", "select", "dev"]);
    const steps = (JSON.parse(await pulumiIn(sb.project, ["preview", "--json", "--show-sames"])) as { steps: Step[] }).steps;
    const changed = steps.filter((s) => s.op !== "same");
    console.log(
      `      preview: ${steps.length} steps; ${JSON.stringify(Object.entries(changed.reduce<Record<string, string[]>>((m, s) => ({ ...m, [s.op]: [...(m[s.op] ?? []), nameOf(s.urn)] }), {})))}`,
    );
    const gone = changed
      .filter((s) => ["delete", "delete-replaced", "replace", "create-replacement", "discard"].includes(s.op))
      .map((s) => `${s.op} ${nameOf(s.urn)}`);
    assert.deepEqual([...new Set(gone.map((g) => g.split(" ")[1]))], ["analytics-jar"], gone.join("\n"));
    // The components and their children under the new tokens, kept (same or updated, never created).
    for (const name of ["ingest", "archive", "archive-raw", "alert", "alert-processed", "analytics", "kdg", "notifications", "dashboard"]) {
      const step = steps.find((s) => nameOf(s.urn) === name);
      assert.ok(step && step.op !== "create", `${name}: ${JSON.stringify(step)}`);
      assert.match(step.urn, /::(clickstream:index:\w+\$)*clickstream:index:\w+::[\w-]+$/, step.urn);
    }
    for (const name of [
      "alert-processed",
      "alert-processed-public-access",
      "alert-processed-encryption",
      "alert-processed-lifecycle",
      "alert-processed-tls-only",
      "archive-raw-lifecycle",
      "ingest-stream",
    ]) {
      const step = steps.find((s) => nameOf(s.urn) === name)!;
      assert.ok(step && ["same", "update"].includes(step.op), `${name}: ${JSON.stringify(step)}`);
    }
    // What is new: the code bucket and its settings.
    const created = changed.filter((s) => s.op === "create").map((s) => nameOf(s.urn));
    for (const name of ["analytics-code", "analytics-code-lifecycle"])
      assert.ok(created.includes(name), `${name} created: ${created.join(", ")}`);
  });

  it("brings it up keeping the processed bucket, and then has nothing to change", async () => {
    const up = await pulumiIn(sb.project, ["up", "--yes"]);
    console.log(
      `      up: ${up
        .split("\n")
        .filter((l) => /^\s+[-+~±]*\s*\d+ (created|updated|replaced|deleted|unchanged)/.test(l))
        .map((l) => l.trim())
        .join(", ")}`,
    );
    assert.equal(bucket("-processed-")!.id, processedId, "the same processed bucket");
    assert.ok(bucket("-code-"), "the code bucket exists");
    const jar = sb.account().resources.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")!;
    assert.equal(jar.state.bucket, bucket("-code-")!.state.bucket, "the JAR is in the code bucket");
    assert.equal(
      sb.account().resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2").length,
      1,
      "the former JAR object is gone",
    );
    assert.match(await pulumiIn(sb.project, ["preview", "--expect-no-changes"]), /\d+ unchanged/);
  });

  it("destroys everything", async () => {
    await pulumiIn(sb.project, ["destroy", "--yes"]);
    assert.deepEqual(sb.account().resources, []);
  });
});
