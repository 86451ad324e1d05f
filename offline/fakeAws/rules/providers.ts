// What AWS and the random provider check of the providers themselves and of a generated password.

import { parseMaybeJson, tagProblems, type Rule } from "./common";

export const PROVIDER_RULES: Record<string, Rule> = {
  "pulumi:providers:aws": (i) => [
    ...(typeof i.region === "string" && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(i.region)
      ? []
      : [`provider region ${JSON.stringify(i.region)} is not an AWS region`]),
    ...tagProblems(parseMaybeJson(i.defaultTags)?.tags),
  ],

  "pulumi:providers:random": () => [],

  "random:index/randomPassword:RandomPassword": (i) => {
    const mins = (i.minUpper ?? 0) + (i.minLower ?? 0) + (i.minNumeric ?? 0) + (i.minSpecial ?? 0);
    return typeof i.length === "number" && i.length >= Math.max(1, mins) ? [] : ["random password length is below the sum of its minimums"];
  },
};
