// The lab's roles each carry one inline policy that lives and dies with the role. A managed
// policy (AWS's AdministratorAccess, or any customer policy) is a grant the allow-list cannot
// read and that outlives the stack; the attachment types are refused by lab-resource-types-only,
// and this rule refuses the Role arguments that attach them or widen a role's reach.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, resourceRule } from "./support";

export const iamNoManagedPoliciesPolicy: ResourceValidationPolicy = {
  name: "iam-no-managed-policies",
  description: "Roles attach no managed policies (managedPolicyArns) and keep their inline policy in one RolePolicy.",
  enforcementLevel: "mandatory",
  validateResource: resourceRule(aws.iam.Role, (_role, args, report) => {
    const props = args.props as Record<string, unknown>;
    const managed = asList(props.managedPolicyArns as string[] | undefined);
    if (managed.length > 0)
      report(
        `managedPolicyArns attaches ${managed.join(", ")}; the lab's roles need no managed policy (their one inline policy is checked action by action).`,
      );
  }),
};
