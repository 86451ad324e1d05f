// The CrossGuard pack: `pulumi preview --policy-pack policy` (and `pulumi up`, and the
// Automation API's `policyPacks`). Limits are set with --policy-pack-config; see README.

import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("clickstream-lab", {
  description: "Keeps every team stack of the clickstream lab in us-east-1, within its budget and least-privileged.",
  policies: POLICIES,
});
