// A function that does not fit on a screen is a list of steps waiting for names (docs/changing-things.md,
// shared style). This ESLint rule limits a function to MAX_LINES lines, nested functions included,
// outside test/ and bench/. The functions longer than that today are listed in
// .function-length-allowlist.json with their length: a listed function may shrink but not grow, an
// entry that is back within the limit must be removed, and test/layers.test.ts keeps the list from
// gaining entries. So the list only shrinks.

import { readFileSync } from "node:fs";
import { relative } from "node:path";

export const MAX_LINES = 60;
const ALLOW_LIST_FILE = ".function-length-allowlist.json";

/** `<file>#<qualified name>` to the function's length when it was listed, in lines. */
export const projectAllowList = JSON.parse(readFileSync(new URL(ALLOW_LIST_FILE, import.meta.url), "utf8"));

/** A readable name for a function node: its own, its variable's, its property's, or the call it is passed to. */
function ownName(node) {
  if (node.id?.name) return node.id.name;
  const p = node.parent;
  if (p?.type === "VariableDeclarator" && p.id.type === "Identifier") return p.id.name;
  if ((p?.type === "Property" || p?.type === "PropertyDefinition") && p.key) return p.key.name ?? String(p.key.value);
  if (p?.type === "MethodDefinition") {
    const cls = p.parent?.parent?.id?.name ?? "class";
    return `${cls}.${p.key.name ?? String(p.key.value)}`;
  }
  if (p?.type === "CallExpression" || p?.type === "NewExpression") {
    const callee = p.callee;
    const called = callee.type === "MemberExpression" ? callee.property.name : callee.name;
    return `${called ?? "call"}()`;
  }
  return "anonymous";
}

const FUNCTION = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** Enclosing functions' names, outermost first, then this one's: `main > action()`. */
function qualifiedName(node) {
  const names = [];
  for (let n = node; n; n = n.parent) if (FUNCTION.has(n.type)) names.unshift(ownName(n));
  return names.join(" > ");
}

export const functionLength = {
  meta: {
    type: "suggestion",
    docs: { description: `functions of at most ${MAX_LINES} lines, except the shrinking allow-list` },
    // Tests hand their own list and limit; the project's come from the files above.
    schema: [
      {
        type: "object",
        properties: { max: { type: "integer" }, allowList: { type: "object" } },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const max = context.options[0]?.max ?? MAX_LINES;
    const allowList = context.options[0]?.allowList ?? projectAllowList;
    const file = relative(context.cwd, context.filename).split("\\").join("/");
    const listed = Object.keys(allowList).filter((k) => k.startsWith(`${file}#`));
    const seen = new Set();
    const check = (node) => {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines <= max) return;
      const key = `${file}#${qualifiedName(node)}`;
      const allowed = allowList[key];
      seen.add(key);
      if (allowed === undefined) {
        context.report({
          node,
          message: `${qualifiedName(node)} is ${lines} lines (at most ${max}): split it into named steps that read top to bottom.`,
        });
      } else if (lines > allowed) {
        context.report({
          node,
          message: `${qualifiedName(node)} grew from ${allowed} to ${lines} lines; it is on ${ALLOW_LIST_FILE} to shrink, not grow: split it into named steps.`,
        });
      }
    };
    return {
      FunctionDeclaration: check,
      FunctionExpression: check,
      ArrowFunctionExpression: check,
      "Program:exit"(program) {
        for (const key of listed.filter((k) => !seen.has(k)))
          context.report({
            node: program,
            message: `${key.split("#")[1]} is within ${max} lines now (or gone): remove "${key}" from ${ALLOW_LIST_FILE}.`,
          });
      },
    };
  },
};
