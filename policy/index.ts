// The CrossGuard pack: `pulumi preview --policy-pack policy` (and `pulumi up`, and the
// Automation API's `policyPacks`). @pulumi/policy reads the pack's version from package.json in
// the working directory, which the engine sets to this folder. Limits: policy/limits.ts, and
// --policy-pack-config for one run; see docs/policy.md.

import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("clickstream-lab", {
  description:
    "Keeps every team stack of the clickstream lab to the lab's resources, in us-east-1, within its budget, least-privileged, and ending with the event.",
  policies: POLICIES,
});
