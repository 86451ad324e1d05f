// Instructors find, cost and clean up a team's resources by their tags (the CLI's leftover
// check uses them), so every taggable resource must carry them: its own or its provider's.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../limits";
import { LAB_TYPES } from "./labTypes";
import { anyResourceRule, effectiveTags } from "./support";

export const requiredTagsPolicy: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Every taggable resource carries the tags event, team and expires-at (own tags or the provider's defaultTags).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { tags: { type: "array", items: { type: "string" }, default: [...LIMITS.requiredTags] } },
  },
  validateResource: anyResourceRule((args, report) => {
    if (!LAB_TYPES[args.type]?.taggable) return;
    const { tags } = args.getConfig<{ tags: string[] }>();
    const present = effectiveTags(args.props, args.provider);
    const missing = tags.filter((t) => !present[t]);
    if (missing.length > 0) report(`Missing tags: ${missing.join(", ")}. Set them in the provider's defaultTags.`);
  }),
};
