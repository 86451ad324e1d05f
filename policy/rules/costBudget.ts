// The stack's estimated cost per hour, from the priced model, stays within the team's budget; a
// resource the model cannot price (anything outside the lab's types) fails the budget too.

import type { StackValidationPolicy } from "@pulumi/policy";
import { estimate } from "../cost/model";
import { LIMITS } from "../limits";
import { stackRule } from "./support";

export const costBudgetPolicy: StackValidationPolicy = {
  name: "team-hourly-budget",
  description: "The stack's estimated cost per hour (policy/cost/model.ts) is at most maxUsdPerHour, and every resource has a price.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxUsdPerHour: { type: "number", default: LIMITS.maxUsdPerHour, minimum: 0 } } },
  validateStack: stackRule((args, report) => {
    const { maxUsdPerHour } = args.getConfig<{ maxUsdPerHour: number }>();
    const { usdPerHour, lines, unpriced } = estimate(args.resources);
    if (unpriced.length > 0)
      report(
        `No price for ${unpriced.join(", ")}: the cost model prices the lab's types only, and an unpriced resource could cost anything.`,
      );
    if (usdPerHour > maxUsdPerHour) {
      const top = [...lines].sort((a, b) => b.usdPerHour - a.usdPerHour).slice(0, 3);
      report(
        `Estimated $${usdPerHour.toFixed(3)}/h is over the budget of $${maxUsdPerHour.toFixed(2)}/h. Largest: ` +
          top.map((l) => `${l.type} $${l.usdPerHour.toFixed(3)}/h (${l.basis})`).join("; "),
      );
    }
  }),
};
