// Faults on real AWS SDK clients, injected as middleware at the "initialize" step, i.e. before
// the SDK's own retries: an injected error is what the caller sees after the SDK gave up, and an
// injected hang is a call that never returns (the invocation then times out, as a crashed or
// frozen Lambda does). The errors are the SDK's own exception classes with the status codes the
// services send, so the code under test classifies them as it would in AWS.

import { S3ServiceException } from "@aws-sdk/client-s3";
import { ThrottledException } from "@aws-sdk/client-sns";

type Next = (args: { input: object }) => Promise<unknown>;
/** The one middleware-stack call this needs, as every SDK v3 client has it. */
interface WithMiddleware {
  middlewareStack: {
    add(middleware: (next: Next, context: { commandName?: string }) => Next, options: { step: "initialize"; name: string }): void;
  };
}

export interface FaultRule {
  /** SDK command name, e.g. "PutObjectCommand", "PublishCommand". */
  readonly command: string;
  /** Only calls whose input passes count (default: all). */
  readonly when?: (input: Record<string, unknown>) => boolean;
  /** Matching calls let through before the fault starts (default 0). */
  readonly skip?: number;
  /** How many matching calls fail once it started (default 1). */
  readonly times?: number;
  /** An error to throw, or "hang": the call never returns and never reaches the service. */
  readonly effect: Error | "hang";
}

export interface Faults {
  /** Calls each rule has faulted so far. */
  readonly fired: number[];
}

/** Adds the rules to a client; returns live counters. */
export function injectFaults(client: WithMiddleware, rules: readonly FaultRule[]): Faults {
  const seen = rules.map(() => 0);
  const fired = rules.map(() => 0);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      for (const [i, rule] of rules.entries()) {
        if (context.commandName !== rule.command || !(rule.when?.(input) ?? true)) continue;
        seen[i]!++;
        if (seen[i]! > (rule.skip ?? 0) && fired[i]! < (rule.times ?? 1)) {
          fired[i]!++;
          if (rule.effect === "hang") return new Promise<never>(() => {});
          throw rule.effect;
        }
      }
      return next(args);
    },
    { step: "initialize", name: "testFaults" },
  );
  return { fired };
}

/** S3's 500 InternalError ("We encountered an internal error. Please try again."). */
export const s3InternalError = () =>
  new S3ServiceException({
    name: "InternalError",
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
    message: "We encountered an internal error. Please try again.",
  });

/** SNS's throttling answer to Publish (HTTP 400, ThrottledException). */
export const snsThrottled = () => new ThrottledException({ $metadata: { httpStatusCode: 400 }, message: "Rate exceeded" });

/** A PutObject into the window ledger that writes the given state. */
export const ledgerWrite = (state: "claimed" | "released" | "published") => (input: Record<string, unknown>) =>
  String(input.Key).startsWith("alert-ledger/") && (JSON.parse(String(input.Body)) as { state: string }).state === state;
