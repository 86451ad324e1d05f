// The components a team stack registers, as the engine would get them: type token, URN (with the
// parent chain in it) and the aliases each sends. The mocks see only custom resources, so the
// components are collected where each one finishes: every component calls registerOutputs last
// (and the SDK once more itself, hence the Set).

import * as pulumi from "@pulumi/pulumi";
import type { ConfigKey } from "../../infra/config";
import { valueOf } from "../../offline/fakeAws/account";
import { runTeam, type TeamRun } from "../support";

/** One component of the stack. */
export interface RegisteredComponent {
  /** Logical name. */
  readonly name: string;
  /** `urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>`. */
  readonly urn: string;
  /** The type token: the last `$` part of the URN's type chain. */
  readonly type: string;
  /** The URNs the component sends as aliases (Pulumi collapses each alias spec to one). */
  readonly aliases: string[];
}

/** Internal fields of @pulumi/pulumi's Resource that hold what the SDK sends the engine. */
type Internal = { __name: string; __aliases: pulumi.Input<string>[] };

/** Runs one team (as runTeam does) and returns its components beside the run. */
export async function runTeamComponents(
  overrides: Partial<Record<ConfigKey, string>> = {},
): Promise<{ run: TeamRun; components: RegisteredComponent[] }> {
  const seen = new Set<pulumi.ComponentResource>();
  const proto = pulumi.ComponentResource.prototype as unknown as { registerOutputs: (this: pulumi.ComponentResource, o?: unknown) => void };
  const original = proto.registerOutputs;
  proto.registerOutputs = function (this: pulumi.ComponentResource, o?: unknown) {
    seen.add(this);
    return original.call(this, o);
  };
  let run: TeamRun;
  try {
    run = await runTeam(overrides);
  } finally {
    proto.registerOutputs = original;
  }
  const components = await Promise.all(
    [...seen].map(async (c) => {
      const urn = await valueOf(c.urn);
      const chain = urn.split("::")[2]!;
      const internal = c as unknown as Internal;
      return {
        name: internal.__name,
        urn,
        type: chain.split("$").pop()!,
        aliases: await Promise.all(internal.__aliases.map((a) => valueOf(a))),
      };
    }),
  );
  return { run, components };
}
