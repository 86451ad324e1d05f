// The stack's estimated cost per hour, from the priced model, stays within the team's budget.

import type { StackValidationPolicy } from "@pulumi/policy";
import { estimate } from "../cost/model";

export const costBudgetPolicy: StackValidationPolicy = {
  name: "team-hourly-budget",
  description: "The stack's estimated cost per hour (policy/cost/model.ts) is at most maxUsdPerHour.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxUsdPerHour: { type: "number", default: 0.5, minimum: 0 } } },
  validateStack: (args, report) => {
    const { maxUsdPerHour } = args.getConfig<{ maxUsdPerHour: number }>();
    const { usdPerHour, lines } = estimate(args.resources);
    if (usdPerHour > maxUsdPerHour) {
      const top = [...lines].sort((a, b) => b.usdPerHour - a.usdPerHour).slice(0, 3);
      report(
        `Estimated $${usdPerHour.toFixed(3)}/h is over the budget of $${maxUsdPerHour.toFixed(2)}/h. Largest: ` +
          top.map((l) => `${l.type} $${l.usdPerHour.toFixed(3)}/h (${l.basis})`).join("; "),
      );
    }
  },
};
