// The fake AWS account behind `pulumi.runtime.setMocks`: for the unit tests, the policy tests and
// `npm run plan`. The account itself is core.ts; the real-engine adapter is plugin.ts.

import * as pulumi from "@pulumi/pulumi";
import { AwsRuleViolation, defaultTagsOf, FakeAccount, FALLBACK_REGION } from "./core";

export { AwsRuleViolation, MOCK_ACCOUNT_ID, type RecordedResource } from "./core";

/** A fake account that a program registers into through Pulumi's mocks. */
export class MockAccount extends FakeAccount {
  /** Every registration refused, by stack; `run` turns them into a failure. */
  readonly violations: { stack: string; error: AwsRuleViolation }[] = [];
  private readonly providers = new Map<string, { region?: string; defaultTags?: Record<string, string> }>();

  /**
   * Installs mocks for one program run as `stack`. Call before importing or running the program;
   * `await settle()` afterwards to let every registration finish.
   */
  async install(stack: string, project = "clickstream-lab"): Promise<void> {
    await pulumi.runtime.setMocks(this.mocksFor(stack), project, stack, false);
  }

  mocksFor(stack: string): pulumi.runtime.Mocks {
    return {
      newResource: (args) => this.register(stack, args),
      call: (args) => {
        const providerId = args.provider?.split("::").pop();
        return this.invoke(args.token, (providerId && this.providers.get(providerId)?.region) || FALLBACK_REGION);
      },
    };
  }

  /**
   * Runs a program as one stack of this account and waits for all its registrations. Throws if
   * any registration was refused, naming every refusal (a plan wants all of them at once).
   */
  async run<T>(stack: string, program: () => T, project?: string): Promise<T> {
    await this.install(stack, project);
    const result = program();
    await settle();
    const refused = this.violations.filter((v) => v.stack === stack).map((v) => v.error);
    if (refused.length === 1) throw refused[0]!;
    if (refused.length > 1) throw new AggregateError(refused, refused.map((e) => e.message).join("\n"));
    return result;
  }

  // A refusal is recorded, not thrown: a throw here becomes an unhandled rejection inside the
  // Pulumi runtime. `run` reports the refusals once the program has finished registering.
  private register(stack: string, args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    if (args.custom === false) return { id: `${args.name}-component`, state: args.inputs as Record<string, unknown> };
    const providerId = args.provider?.split("::").pop();
    const provider = providerId ? this.providers.get(providerId) : undefined;
    try {
      const created = this.createResource({
        stack,
        type: args.type,
        name: args.name,
        wireInputs: (args.inputs ?? {}) as Record<string, unknown>,
        ...(providerId ? { providerId } : {}),
        ...(provider?.region ? { providerRegion: provider.region } : {}),
        ...(provider?.defaultTags ? { providerDefaultTags: provider.defaultTags } : {}),
      });
      if (args.type.startsWith("pulumi:providers:")) {
        const defaultTags = defaultTagsOf(created.state.defaultTags);
        this.providers.set(created.id, {
          ...(typeof created.state.region === "string" ? { region: created.state.region } : {}),
          ...(defaultTags ? { defaultTags } : {}),
        });
      }
      return created;
    } catch (e) {
      if (!(e instanceof AwsRuleViolation)) throw e;
      this.violations.push({ stack, error: e });
      return { id: `refused-${args.name}`, state: args.inputs as Record<string, unknown> };
    }
  }
}

/**
 * Waits until every resource registration in flight has reached the mocks: the runtime's public
 * `disconnect`, which drains its queue of calls (and closes nothing a mock holds). The next
 * `install` connects the mocks again.
 */
export async function settle(): Promise<void> {
  await pulumi.runtime.disconnect();
}

/** The value of an Output, for tests and tools (assertions inside apply would be swallowed). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
