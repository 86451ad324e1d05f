// The type tokens of this project's components, and the aliases that keep deployed stacks whole
// when a token changes.
//
// A token is `<package>:<module>:<Type>`. The module says where a type lives in its package, and
// `index` is a package's root module: pulumi-eks registers `eks:index:Cluster`, and every
// generated provider names its types the same way (`random:index/randomPassword:RandomPassword`).
// Our components are one flat package, so every one is `clickstream:index:<Type>`. They used to
// carry the workshop phase as their module (`clickstream:prelab:Ingest`, `clickstream:lab:Alert`,
// `clickstream:storage:SecureBucket`): that said when the 2020 lab built a part, not what it is,
// and it would move whenever the lab's schedule does.
//
// A component's token is part of the URN of every resource under it, so a new token is a new
// identity for the whole subtree. Each component therefore registers its former token as an alias
// (`{ type }`: same name, same parent, former type), and the engine carries a parent's aliases down
// to its children, so a deployed stack keeps every resource (test/engine/componentAliases proves
// it on the real engine).

import type * as pulumi from "@pulumi/pulumi";

/** The package of every component token; the policy pack keeps its own copy (policy/rules/labTypes.ts). */
export const COMPONENT_PACKAGE = "clickstream";

/** `clickstream:index:<typeName>`, the token a component registers with. */
export function componentType(typeName: string): string {
  return `${COMPONENT_PACKAGE}:index:${typeName}`;
}

/**
 * The caller's options plus one alias per former type token of the component (same name, same
 * parent), so that resources deployed under a former token are kept, not replaced.
 */
export function withFormerTypes(
  opts: pulumi.ComponentResourceOptions | undefined,
  ...formerTypes: string[]
): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), ...formerTypes.map((type) => ({ type }))] };
}
