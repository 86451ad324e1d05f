// The lab's Pulumi program as a function: validate the stack's configuration, check the JAR, build
// the team's stack. infra/index.ts (Pulumi.yaml `main`) calls it with the engine's configuration;
// the offline plan calls it with a stack file's, once per stack, without reloading any module or
// setting the runtime's global configuration.

import { JAR_PATH, requireJar } from "../components/analytics";
import { validateConfig } from "./config";
import { teamStack, type TeamStackOutputs } from "./teamStack";

/**
 * Registers one team's stack and returns its outputs.
 * @param raw the project's configuration keys without the `<project>:` prefix, as strings.
 * @param stack the stack's name (messages; physical names come from the event and team keys).
 * @throws ConfigError naming every configuration problem, before any resource is registered;
 *   Error naming `npm run build:jar` when the Flink job's JAR is missing.
 */
export function labProgram(raw: Readonly<Record<string, string>>, stack: string, now: Date = new Date()): TeamStackOutputs {
  const cfg = validateConfig(raw, now, stack);
  // Before any resource: a fresh clone without the JAR stops here with the command that builds it.
  requireJar(JAR_PATH);
  return teamStack(cfg, stack);
}
