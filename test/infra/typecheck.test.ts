// The engine runs the program and the pack transpile-only (issue 24); infra/typecheck.ts is what
// still stops a type error in someone's change, with tsc's file and line, before anything runs.
// Each case is a small project of its own, so that tsc takes seconds, not the repository's minute;
// without TypeScript's standard library (noLib, and the few global types tsc needs in globals.d.ts),
// a tsc run of one is 0.15 CPU-seconds instead of 0.9 (issue 27 item 6: ten runs here).

import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEPLOY_TSCONFIG, typecheckRepository, typeErrors } from "../../infra/typecheck";

/** The global types tsc requires when it has no standard library (TS2318 names each one missing). */
const GLOBALS = [
  "Array<T>",
  "Boolean",
  "CallableFunction",
  "Function",
  "IArguments",
  "NewableFunction",
  "Number",
  "Object",
  "RegExp",
  "String",
]
  .map((t) => `interface ${t} {}\n`)
  .join("");

describe("the program's type check on change (infra/typecheck.ts)", function () {
  this.timeout(180_000);
  let root: string;
  const write = (file: string, text: string) => writeFileSync(join(root, file), text);
  const check = () => {
    const lines: string[] = [];
    return { errors: typeErrors(root, (l) => lines.push(l)), ran: lines.length > 0 };
  };

  const compilerOptions = { strict: true, noEmit: true, types: [], noLib: true };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "typecheck-"));
    mkdirSync(join(root, "infra"));
    write("tsconfig.json", JSON.stringify({ compilerOptions }));
    write(DEPLOY_TSCONFIG, JSON.stringify({ extends: "./tsconfig.json", include: [], files: ["infra/index.ts", "globals.d.ts"] }));
    write("globals.d.ts", GLOBALS);
    write("infra/index.ts", 'import { size } from "./size";\nexport const total: number = size + 1;\n');
    write("infra/size.ts", "export const size = 2;\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("runs tsc once for clean code, then not again while the checked files are unchanged", () => {
    assert.deepEqual(check(), { errors: undefined, ran: true });
    assert.deepEqual(check(), { errors: undefined, ran: false });
    const stamp = JSON.parse(readFileSync(join(root, "node_modules", ".cache", "clickstream-lab", "typecheck.json"), "utf8")) as {
      files: string[];
    }[];
    assert.deepEqual(stamp[0]!.files, ["globals.d.ts", "infra/index.ts", "infra/size.ts", "tsconfig.deploy.json", "tsconfig.json"]);
  });

  it("reports a type error in an imported file with its file, line and code, and keeps reporting it until it is fixed", () => {
    assert.equal(check().errors, undefined);
    write("infra/size.ts", 'export const size = "two";\n');
    const first = check();
    assert.equal(first.ran, true, "a changed file is checked again");
    assert.match(first.errors ?? "", /infra\/index\.ts\(2,\d+\): error TS2322/);
    assert.match(first.errors ?? "", /npm run typecheck/);
    assert.doesNotMatch(first.errors ?? "", /^\//m, "tsc's list of files is not part of the message");
    assert.match(check().errors ?? "", /TS2322/, "a failed check records nothing: the next run checks again");
    write("infra/size.ts", "export const size = 3;\n");
    assert.deepEqual(check(), { errors: undefined, ran: true });
  });

  it("checks again when the compiler settings change, though no source did", () => {
    assert.equal(check().errors, undefined);
    write("tsconfig.json", JSON.stringify({ compilerOptions: { ...compilerOptions, noImplicitReturns: true } }));
    assert.equal(check().ran, true);
  });

  it("after a clean `npm run typecheck` (the whole repository), the program's check runs no tsc; after a failed one, it does", () => {
    write("infra/size.ts", 'export const size = "two";\n');
    assert.match(typecheckRepository(root) ?? "", /infra\/index\.ts\(2,\d+\): error TS2322/);
    assert.equal(check().ran, true);
    write("infra/size.ts", "export const size = 3;\n");
    assert.equal(typecheckRepository(root), undefined);
    assert.deepEqual(check(), { errors: undefined, ran: false });
  });

  it("leaves a folder without tsconfig.deploy.json alone", () => {
    rmSync(join(root, DEPLOY_TSCONFIG));
    assert.deepEqual(check(), { errors: undefined, ran: false });
  });
});
