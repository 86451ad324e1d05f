// The pack must load on its own, as the engine starts it: `pulumi preview --policy-pack policy`
// runs `run-policy-pack <engine> <folder>` with the folder as working directory, and
// @pulumi/policy then reads the pack's version from ./package.json (issue 11: without that file
// the pack never started). The pack runs with the repository's node_modules, so it may depend on
// nothing of its own.

import { strict as assert } from "node:assert";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import * as YAML from "yaml";
import { POLICIES } from "../../policy/policies";
import { POLICY_PACK_DIR, ROOT } from "../../paths";

const run = promisify(execFile);

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  main?: string;
  dependencies?: object;
  devDependencies?: object;
}

const packageJson = () => JSON.parse(fs.readFileSync(path.join(POLICY_PACK_DIR, "package.json"), "utf8")) as PackageJson;

describe("the policy pack's folder", () => {
  it("has a package.json with a version and no dependencies of its own, and a PulumiPolicy.yaml that agrees with the pack", () => {
    const pkg = packageJson();
    assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+$/);
    assert.equal(pkg.private, true);
    assert.equal(pkg.dependencies, undefined);
    assert.equal(pkg.devDependencies, undefined);
    assert.ok(pkg.main && fs.existsSync(path.join(POLICY_PACK_DIR, pkg.main)), `main ${String(pkg.main)} exists`);
    const yaml = YAML.parse(fs.readFileSync(path.join(POLICY_PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as {
      runtime?: string;
      description?: string;
    };
    assert.equal(yaml.runtime, "nodejs");
    // main.js only loads index.ts without a second type check (issue 24); the pack is index.ts.
    assert.match(fs.readFileSync(path.join(POLICY_PACK_DIR, pkg.main), "utf8"), /require\("\.\/index\.ts"\)/);
    const index = fs.readFileSync(path.join(POLICY_PACK_DIR, "index.ts"), "utf8");
    assert.ok(
      yaml.description && index.replace(/\s+/g, " ").includes(`description: ${JSON.stringify(yaml.description)}`),
      "PulumiPolicy.yaml and index.ts give the same description",
    );
  });

  it("loads its rules in a fresh process whose working directory is the pack's folder", async () => {
    const script = "const { POLICIES } = require('./policies'); process.stdout.write(JSON.stringify(POLICIES.map((p) => p.name)));";
    const { stdout } = await run(process.execPath, ["-r", "tsx/cjs", "-e", script], { cwd: POLICY_PACK_DIR });
    assert.deepEqual(
      JSON.parse(stdout),
      POLICIES.map((p) => p.name),
    );
  });

  /** Starts a pack folder as the engine's launcher does; resolves with the port it serves on. */
  const startPack = (dir: string, env: NodeJS.ProcessEnv = process.env) => {
    const launcher = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const child = spawn(process.execPath, [launcher, "127.0.0.1:1", dir], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) resolve(Number(line[1]));
      });
      child.on("exit", (code) => reject(new Error(`the pack exited (${String(code)}) before printing its port:\n${stderr}`)));
    });
    return { port, stop: () => child.kill() };
  };

  it("starts as the engine starts it, and answers GetAnalyzerInfo with its name, version and every rule", async function () {
    this.timeout(180_000); // a loaded machine; the pack itself starts in about 1.5 CPU-seconds (issue 24)
    const pack = startPack(POLICY_PACK_DIR);
    try {
      const client = new AnalyzerClient(`127.0.0.1:${await pack.port}`, grpc.credentials.createInsecure());
      const info = await new Promise<AnalyzerInfo>((resolve, reject) =>
        client.getAnalyzerInfo(new Empty(), (e, r) => (e ? reject(e) : resolve(r))),
      );
      client.close();
      assert.equal(info.getName(), "clickstream-lab");
      assert.equal(info.getVersion(), packageJson().version);
      assert.deepEqual(
        info.getPoliciesList().map((p) => p.getName()),
        POLICIES.map((p) => p.name),
      );
    } finally {
      pack.stop();
    }
  });

  it("is not type-checked again by the launcher (issue 24): a copy with a type error still starts", async function () {
    // run-policy-pack type-checks a TypeScript entry point (11 CPU-seconds, 810 MB per run); the
    // type check belongs to `npm run typecheck` and the program's check on change (infra/typecheck.ts).
    this.timeout(180_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-copy-"));
    try {
      fs.copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
      fs.cpSync(POLICY_PACK_DIR, path.join(dir, "policy"), { recursive: true });
      fs.appendFileSync(path.join(dir, "policy", "limits.ts"), '\nexport const notANumber: number = "a type error";\n');
      const pack = startPack(path.join(dir, "policy"), { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") });
      try {
        assert.ok((await pack.port) > 0);
      } finally {
        pack.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
