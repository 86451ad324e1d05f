// The Pulumi program (Pulumi.yaml `main`): the engine's configuration into labProgram
// (infra/program.ts), whose outputs are the stack's outputs. Validation throws before any resource
// is registered.

import { dirname } from "node:path";
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

// The engine runs this program without type-checking it: infra/main.js loads it through tsx (a
// test's variant with a TypeScript entry, through ts-node with PULUMI_NODEJS_TRANSPILE_ONLY=true).
// So a change that has not been type-checked is checked here, once, before any resource
// (infra/typecheck.ts); unchanged files cost a few milliseconds. Where ts-node does type-check (the
// runtime option \`typescript: true\` without that variable), it has refused a type error before this
// line runs, so checking here too costs nothing but the hashing. The language host's
// PULUMI_NODEJS_TYPESCRIPT says nothing reliable: older hosts set it whatever Pulumi.yaml says. The
// offline plan and the unit tests call labProgram (infra/program.ts) directly and never come here.
// The project folder is this file's parent: the engine runs the program with the main file's folder
// (infra/) as its working directory, and in an engine sandbox the project is a copy whose files
// differ from the repository's (paths.ts ROOT resolves through its link to the repository).
const unchecked = typeErrors(dirname(__dirname), (line) => void pulumi.log.info(line));
if (unchecked) throw new pulumi.RunError(unchecked);

// Every output of the team stack (infra/teamStack.ts TeamStackOutputs) is a stack output.
export = labProgram(rawConfig(), pulumi.getStack());
