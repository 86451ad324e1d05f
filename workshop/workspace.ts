// The seam between the instructor CLI and Pulumi: what the orchestrator needs from a workspace.
// pulumiWorkspace.ts implements it with the Automation API (and the Pulumi CLI); the tests use an
// in-memory fake, so the orchestration logic is proven without Pulumi or AWS.

export interface ConfigValue {
  readonly value: string;
  readonly secret?: boolean;
}

export interface StackSpec {
  readonly team: string;
  readonly stack: string;
  readonly config: Record<string, ConfigValue>;
  /** AWS_PROFILE for this stack's operations (events over several accounts). */
  readonly profile?: string;
}

/** Progress of one operation: resources done so far, of how many (0 while unknown). */
export type OnProgress = (done: number, total: number) => void;

export interface OutputValue {
  readonly value: unknown;
  readonly secret: boolean;
}

/** A mandatory policy violation found by a preview: the policy's name and its message. */
export interface PolicyViolation {
  readonly policy: string;
  readonly message: string;
  /** The resource's URN, absent for a stack-wide finding. */
  readonly urn?: string;
}

/**
 * One resource a preview would change: what the engine reported for it (a resourcePreEvent whose
 * op is not "same"). `paths` are the changed input properties as dotted paths
 * (`applicationConfiguration.environmentProperties.propertyGroups[2].propertyMap.anomaly.threshold`
 * where the provider or the inputs say that much; a top-level key otherwise). Read by
 * workshop/rolloutPlan.ts to say what a rollout changes.
 */
export interface ResourceChange {
  readonly urn: string;
  /** The type token, e.g. aws:kinesisanalyticsv2/application:Application. */
  readonly type: string;
  /** The engine's step: create, update, replace, create-replacement, delete, … */
  readonly op: string;
  readonly paths: readonly string[];
  /** The inputs before and after, where the engine reported them (values such as the JAR's key). */
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

export interface PreviewOptions {
  /** Hears every resource the preview would create, change, replace or delete (not the unchanged ones). */
  readonly onChange?: (change: ResourceChange) => void;
  /**
   * Preview the spec's config without storing it in the stack: a dry run, or a team a rollout
   * stops before, must leave the stack's config as it was, or the next `extend` (which ups the
   * stored config) would ship the change unannounced. The stack must exist; its secret values
   * must be the stored ones.
   */
  readonly keepStoredConfig?: boolean;
}

export interface Workspace {
  /** Provider and policy plugins, once, before any worker starts. */
  installPlugins(): Promise<void>;
  listStacks(): Promise<string[]>;
  /**
   * Creates or selects the stack, writes its config and previews it with the policy pack, creating
   * nothing. Resolves with the mandatory violations (empty when there are none); rejects when the
   * preview itself fails for another reason. See PreviewOptions for what else it can do.
   */
  preview(spec: StackSpec, log: (line: string) => void, options?: PreviewOptions): Promise<PolicyViolation[]>;
  /** Creates or selects the stack and writes its config; then `pulumi up` with the policy pack. */
  up(spec: StackSpec, progress: OnProgress, log: (line: string) => void): Promise<Record<string, OutputValue>>;
  outputs(stack: string, profile?: string): Promise<Record<string, OutputValue>>;
  /**
   * The stack's configuration as stored, fully qualified keys (`clickstream-lab:endsAt`), secrets
   * decrypted and marked secret: what `up` needs to change one key and keep the rest.
   */
  config(stack: string, profile?: string): Promise<Record<string, ConfigValue>>;
  /** `pulumi destroy`; resolves with what it deleted. */
  destroy(stack: string, progress: OnProgress, log: (line: string) => void, profile?: string): Promise<DestroySummary>;
  removeStack(stack: string): Promise<void>;
}

/** What a destroy deleted: resources by type token (aws:kinesis/stream:Stream → 2), the stack itself not counted. */
export interface DestroySummary {
  readonly deleted: Record<string, number>;
}

/** What is still tagged with a team after its stack is gone (Resource Groups Tagging API). */
export interface TaggedResources {
  find(tags: Record<string, string>, profile?: string): Promise<string[]>;
}
