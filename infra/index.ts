// The Pulumi program (Pulumi.yaml `main`): the engine's configuration into labProgram
// (infra/program.ts), whose outputs are the stack's outputs. Validation throws before any resource
// is registered.

import * as pulumi from "@pulumi/pulumi";
import { labProgram } from "./program";

/** Every key of the project's namespace, known or not: validation refuses the unknown ones (typos). */
function rawConfig(): Record<string, string> {
  const prefix = `${pulumi.getProject()}:`;
  // The runtime's own map, not Config.get: it reads secrets without a warning, and the password
  // is wrapped as a secret again before it reaches a resource.
  const all = pulumi.runtime.allConfig();
  return Object.fromEntries(
    Object.keys(all)
      .filter((k) => k.startsWith(prefix))
      .map((k) => [k.slice(prefix.length), all[k]!]),
  );
}

// Every output of the team stack (infra/teamStack.ts TeamStackOutputs) is a stack output.
export = labProgram(rawConfig(), pulumi.getStack());
