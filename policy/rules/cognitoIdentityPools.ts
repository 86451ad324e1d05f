// An identity pool with unauthenticated access hands AWS credentials to anyone who asks; the KDG
// signs in, so it never needs them. The classic (basic) flow lets a caller pick the role itself.

import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./support";

export const cognitoIdentityPoolsPolicy: ResourceValidationPolicy = {
  name: "cognito-no-guest-access",
  description: "Cognito identity pools allow no unauthenticated identities and no classic flow.",
  enforcementLevel: "mandatory",
  validateResource: resourceRule(aws.cognito.IdentityPool, (pool, _args, report) => {
    if (pool.allowUnauthenticatedIdentities !== false) report("allowUnauthenticatedIdentities must be false.");
    if (pool.allowClassicFlow === true) report("allowClassicFlow must be false: the classic flow lets the caller choose the role.");
  }),
};
