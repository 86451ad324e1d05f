// The lab runs in us-east-1 only. Provider 7 lets any resource override its provider's region,
// so this looks at three places: the provider itself, the resource's own `region`, and the
// provider the resource is registered with.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isAwsType, LAB_REGION } from "./support";

export const regionPolicy: ResourceValidationPolicy = {
  name: "us-east-1-only",
  description: "Every AWS provider and resource stays in us-east-1, the lab's region.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type === "pulumi:providers:aws") {
      if (args.props.region !== LAB_REGION) report(`The AWS provider points at ${String(args.props.region ?? "no region")}; set region: "${LAB_REGION}".`);
      return;
    }
    if (!isAwsType(args.type)) return;
    const own = args.props.region as string | undefined;
    if (own !== undefined && own !== LAB_REGION) report(`This resource overrides its region to ${own}; remove the override or use ${LAB_REGION}.`);
    const viaProvider = args.provider?.props.region as string | undefined;
    if (own === undefined && args.provider && viaProvider !== LAB_REGION) {
      report(`This resource's provider ${args.provider.name} points at ${String(viaProvider ?? "no region")}; use a provider in ${LAB_REGION}.`);
    }
  },
};
