// What several rules share: reading tags and regions the way the engine hands them over.

import type { PolicyProviderResource } from "@pulumi/policy";

export const LAB_REGION = "us-east-1";

/**
 * Provider inputs reach policies as the engine stores them: objects such as `defaultTags` are
 * JSON strings there, plain objects in some SDK paths. Accept both.
 */
export function parseJsonish<T>(value: unknown): T | undefined {
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as T;
    } catch {
      return undefined;
    }
  }
  return value as T | undefined;
}

export function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
  return parseJsonish<{ tags?: Record<string, string> }>(provider?.props.defaultTags)?.tags ?? {};
}

export function isAwsType(type: string): boolean {
  return type.startsWith("aws:");
}
