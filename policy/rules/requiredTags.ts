// Instructors find, cost and clean up a team's resources by their tags (the CLI's leftover
// check uses them), so every taggable resource must carry them: its own or its provider's.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LAB_TYPES } from "./labTypes";
import { providerDefaultTags } from "./support";

export const requiredTagsPolicy: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Every taggable resource carries the tags event, team and expires-at (own tags or the provider's defaultTags).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { tags: { type: "array", items: { type: "string" }, default: ["event", "team", "expires-at"] } },
  },
  validateResource: (args, report) => {
    if (!LAB_TYPES[args.type]?.taggable) return;
    const { tags } = args.getConfig<{ tags: string[] }>();
    const present = { ...providerDefaultTags(args.provider), ...((args.props.tags as Record<string, string> | undefined) ?? {}) };
    const missing = tags.filter((t) => !present[t]);
    if (missing.length > 0) report(`Missing tags: ${missing.join(", ")}. Set them in the provider's defaultTags.`);
  },
};
