// An in-memory Workspace: stacks come and go, each operation takes `ms`, and a script of errors
// per stack makes attempts fail in order. It measures the largest number of operations in flight.
// Not test code: `npm run bench:workshop` measures the orchestrator on it (a benchmark may not
// import test/), and the tests drive the orchestrator and the instructor commands with it.

import type {
  ConfigValue,
  DestroySummary,
  OnProgress,
  OutputValue,
  PolicyViolation,
  PreviewOptions,
  ResourceChange,
  StackSpec,
  TaggedResources,
  Workspace,
} from "./workspace";

/** A Workspace held in memory: no Pulumi, no AWS; every operation takes `ms` milliseconds. */
export class MemoryWorkspace implements Workspace {
  readonly stacks = new Map<string, StackSpec>();
  readonly calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  pluginInstalls = 0;
  /** Errors thrown by successive up/destroy attempts of a stack; then it succeeds. */
  readonly failures = new Map<string, Error[]>();
  /** Mandatory policy violations a stack's preview finds. */
  readonly violations = new Map<string, PolicyViolation[]>();
  /**
   * What the program on disk would change in a stack at its next up (a new JAR, a changed config
   * key's effect): each preview reports it, a successful up applies it, a failed one leaves it.
   */
  readonly pending = new Map<string, ResourceChange[]>();
  /** What an `up` deploys, by resource type; a stack's destroy reports it deleted. */
  inventory: Record<string, number> = { "aws:kinesis/stream:Stream": 2, "aws:iam/role:Role": 2 };
  private readonly deployed = new Map<string, Record<string, number>>();
  /** Outputs a stack exports besides the defaults below (e.g. the names a test made on moto). */
  readonly extraOutputs = new Map<string, Record<string, OutputValue>>();

  constructor(private readonly ms = 5) {}

  installPlugins(): Promise<void> {
    this.pluginInstalls++;
    this.calls.push("installPlugins");
    return Promise.resolve();
  }

  listStacks(): Promise<string[]> {
    return Promise.resolve([...this.stacks.keys()]);
  }

  private async work(kind: string, stack: string, progress: OnProgress): Promise<void> {
    if (this.pluginInstalls === 0) throw new Error("plugins were not installed before the first operation");
    this.calls.push(`${kind} ${stack}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for (let i = 1; i <= 4; i++) {
        await new Promise((r) => setTimeout(r, this.ms / 4));
        progress(i, 4);
      }
      const next = this.failures.get(stack)?.shift();
      if (next) throw next;
    } finally {
      this.inFlight--;
    }
  }

  preview(spec: StackSpec, log: (line: string) => void, options: PreviewOptions = {}): Promise<PolicyViolation[]> {
    if (this.pluginInstalls === 0) return Promise.reject(new Error("plugins were not installed before the first operation"));
    this.calls.push(`preview ${spec.stack}`);
    // As the Automation API does: the spec's config is written to the stack before the preview.
    if (!options.keepStoredConfig && this.stacks.has(spec.stack)) this.stacks.set(spec.stack, spec);
    for (const c of this.pending.get(spec.stack) ?? []) options.onChange?.(c);
    const found = this.violations.get(spec.stack) ?? [];
    log(`${spec.stack}: preview, ${found.length} mandatory violation(s)`);
    return Promise.resolve(found);
  }

  async up(spec: StackSpec, progress: OnProgress, log: (line: string) => void): Promise<Record<string, OutputValue>> {
    this.stacks.set(spec.stack, spec);
    await this.work("up", spec.stack, progress);
    this.pending.delete(spec.stack);
    this.deployed.set(spec.stack, { ...this.inventory });
    log(`${spec.stack}: 4 created`);
    return {
      kdgUrl: { value: `https://kdg/${spec.team}`, secret: false },
      kdgPassword: { value: `pw-${spec.team}`, secret: true },
      ...this.extraOutputs.get(spec.stack),
    };
  }

  outputs(stack: string): Promise<Record<string, OutputValue>> {
    const s = this.stacks.get(stack);
    if (!s) return Promise.reject(new Error(`no stack ${stack}`));
    return Promise.resolve({
      kdgUrl: { value: `https://kdg/${s.team}`, secret: false },
      kdgUsername: { value: "kdg-user", secret: false },
      kdgPassword: { value: `pw-${s.team}`, secret: true },
      ...this.extraOutputs.get(stack),
    });
  }

  config(stack: string): Promise<Record<string, ConfigValue>> {
    const s = this.stacks.get(stack);
    if (!s) return Promise.reject(new Error(`no stack ${stack}`));
    this.calls.push(`config ${stack}`);
    return Promise.resolve({ ...s.config });
  }

  async destroy(stack: string, progress: OnProgress, log: (line: string) => void): Promise<DestroySummary> {
    await this.work("destroy", stack, progress);
    const deleted = this.deployed.get(stack) ?? {};
    this.deployed.delete(stack);
    log(`${stack}: destroyed`);
    return { deleted };
  }

  removeStack(stack: string): Promise<void> {
    this.calls.push(`rm ${stack}`);
    this.stacks.delete(stack);
    return Promise.resolve();
  }
}

/** Tagged resources held in memory: what each team (by its `team` tag) left behind. */
export class MemoryTags implements TaggedResources {
  constructor(private readonly left: Record<string, string[]> = {}) {}
  find(tags: Record<string, string>): Promise<string[]> {
    return Promise.resolve(this.left[tags.team ?? ""] ?? []);
  }
}
