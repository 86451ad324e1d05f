// The lab runs in us-east-1 only. In provider 7 any resource can override its provider's region,
// and other packages bring providers of their own, so this looks at every provider that has a
// region, at every resource's own `region`, and at the provider each resource is registered with.
// Types other than the lab's are refused by lab-resource-types-only; this rule still names their
// region, so a refused `aws-native` provider in eu-west-1 says both things.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LAB_REGION } from "../limits";
import { anyResourceRule, parseJsonish } from "./support";

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export const regionPolicy: ResourceValidationPolicy = {
  name: "us-east-1-only",
  description:
    "Every provider with a region, and every resource's own region, is us-east-1; AWS providers name it and redirect no endpoint.",
  enforcementLevel: "mandatory",
  validateResource: anyResourceRule((args, report) => {
    const props = args.props as Record<string, unknown>;
    if (args.type.startsWith("pulumi:providers:")) {
      const region = props.region;
      if (region !== undefined && region !== LAB_REGION)
        report(`The provider ${args.type} points at ${text(region)}; set region: "${LAB_REGION}".`);
      if (args.type === "pulumi:providers:aws") {
        // Without a region the provider takes the shell's AWS_REGION: whatever region that is.
        if (region === undefined) report(`The AWS provider names no region and would use the shell's; set region: "${LAB_REGION}".`);
        // A custom endpoint can send any service's calls to any region (or anywhere else).
        const endpoints = parseJsonish<unknown[]>(props.endpoints) ?? [];
        if (endpoints.length > 0) report("The AWS provider overrides service endpoints; the lab uses AWS's own endpoints in us-east-1.");
      }
      return;
    }
    const own = props.region;
    if (own !== undefined && own !== LAB_REGION)
      report(`This resource overrides its region to ${text(own)}; remove the override or use ${LAB_REGION}.`);
    const viaProvider = args.provider?.props.region as unknown;
    if (own === undefined && viaProvider !== undefined && viaProvider !== LAB_REGION) {
      report(`This resource's provider ${args.provider!.name} points at ${text(viaProvider)}; use a provider in ${LAB_REGION}.`);
    }
    if (args.type.startsWith("aws:") && own === undefined && viaProvider === undefined) {
      report(`Neither this resource nor its provider names a region; register it with the program's provider in ${LAB_REGION}.`);
    }
  }),
};
