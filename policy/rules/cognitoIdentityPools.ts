// An identity pool with unauthenticated access hands AWS credentials to anyone who asks; the
// KDG signs in, so it never needs them.

import type { ResourceValidationPolicy } from "@pulumi/policy";

export const cognitoIdentityPoolsPolicy: ResourceValidationPolicy = {
  name: "cognito-no-guest-access",
  description: "Cognito identity pools do not allow unauthenticated identities.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== "aws:cognito/identityPool:IdentityPool") return;
    if (args.props.allowUnauthenticatedIdentities !== false) report("allowUnauthenticatedIdentities must be false.");
  },
};
