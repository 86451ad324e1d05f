// The Pulumi program (Pulumi.yaml `main`): the engine's configuration into labProgram
// (infra/program.ts), whose outputs are the stack's outputs. Validation throws before any resource
// is registered.

import * as pulumi from "@pulumi/pulumi";
import { labProgram } from "./program";
import { typeErrors } from "./typecheck";

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

// The engine runs this program through ts-node (its language host sets PULUMI_NODEJS_TYPESCRIPT),
// transpile-only (PULUMI_NODEJS_TRANSPILE_ONLY, tsconfig.json's "ts-node"): a change that has not
// been type-checked is checked here, once, before any resource (infra/typecheck.ts). The offline
// plan and the tests load the program through tsx and check nothing here.
if (process.env.PULUMI_NODEJS_TYPESCRIPT === "true") {
  const unchecked = typeErrors(process.cwd(), (line) => void pulumi.log.info(line));
  if (unchecked) throw new pulumi.RunError(unchecked);
}

// Every output of the team stack (infra/teamStack.ts TeamStackOutputs) is a stack output.
export = labProgram(rawConfig(), pulumi.getStack());
