// The function-length lint rule (eslint.function-length.mjs): a function longer than the limit
// fails lint unless the allow-list names it, a listed function may not grow, an entry back within
// the limit must go, and the list itself may only shrink.

import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RuleTester, type Rule } from "eslint";
import { ROOT } from "../paths";

/**
 * How many functions the allow-list may name at most: 21 when the rule came in (issue 27), 0 since
 * every listed function was split. A function that grows past the limit is split, not listed; never raise it.
 */
const CEILING = 0;

const long = (name: string, lines: number) => `function ${name}() {\n${"  f();\n".repeat(lines - 2)}}\n`;

describe("the function-length lint rule", () => {
  let rule: Rule.RuleModule;
  let allowList: Record<string, number>;
  before(async () => {
    const mod = (await import(join(ROOT, "eslint.function-length.mjs"))) as {
      functionLength: Rule.RuleModule;
      projectAllowList: Record<string, number>;
    };
    rule = mod.functionLength;
    allowList = mod.projectAllowList;
  });

  it("names only files that exist, and no more functions than its ceiling", () => {
    const missing = Object.keys(allowList).filter((k) => !existsSync(join(ROOT, k.split("#")[0]!)));
    assert.deepEqual(missing, [], "allow-list entries of files that are gone: remove them");
    assert.ok(
      Object.keys(allowList).length <= CEILING,
      `the allow-list has ${Object.keys(allowList).length} entries, more than ${CEILING}`,
    );
  });

  it("passes a short function, refuses a long one, lets a listed one shrink but not grow, and refuses a stale entry", () => {
    const tester = new RuleTester();
    const filename = join(process.cwd(), "steps.js");
    const options = (list: Record<string, number>) => [{ max: 10, allowList: list }];
    tester.run("function-length", rule, {
      valid: [
        { code: long("short", 10), filename, options: options({}) },
        { code: long("listed", 12), filename, options: options({ "steps.js#listed": 14 }) },
      ],
      invalid: [
        { code: long("unlisted", 11), filename, options: options({}), errors: [{ message: /unlisted is 11 lines \(at most 10\)/ }] },
        { code: long("listed", 15), filename, options: options({ "steps.js#listed": 14 }), errors: [{ message: /grew from 14 to 15/ }] },
        { code: long("fixed", 9), filename, options: options({ "steps.js#fixed": 30 }), errors: [{ message: /remove "steps.js#fixed"/ }] },
        {
          code: `const main = () => { program.action(() => {\n${"  f();\n".repeat(10)}}); };`,
          filename,
          options: options({}),
          errors: [{ message: /^main is 12 lines/ }, { message: /^main > action\(\) is 12 lines/ }],
        },
      ],
    });
  });
});
