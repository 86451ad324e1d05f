// IAM: roles and their inline policies (the policy grammar itself is ../policyGrammar.ts).

import { exists, tagProblems, within, type Rule } from "./common";
import { NAMES } from "./names";
import { policyProblems } from "../policyGrammar";

export const IAM_RULES: Record<string, Rule> = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (trust policy 2,048 characters)
  "aws:iam/role:Role": (i) => [
    ...NAMES.iamRole(i.name),
    ...policyProblems(i.assumeRolePolicy, "trust", 2048),
    ...within("maxSessionDuration", i.maxSessionDuration, 3600, 43200),
    ...(i.description !== undefined && (String(i.description).length > 1000 || !/^[\t\n\r\x20-\x7E\xA1-\xFF]*$/.test(String(i.description)))
      ? ["role description must be at most 1000 printable characters"]
      : []),
    ...tagProblems(i.tags),
  ],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (inline policies: 10,240 characters per role)
  "aws:iam/rolePolicy:RolePolicy": (i, ctx) => [
    ...NAMES.iamPolicy(i.name),
    ...exists(ctx, "aws:iam/role:Role", i.role, "role"),
    ...policyProblems(i.policy, "identity", 10240),
  ],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html (UserName 1-64 of [\w+=,.@-])
  "aws:iam/user:User": (i) => [...NAMES.iamUser(i.name), ...tagProblems(i.tags)],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html; the provider
  // generates passwords of 5 to 128 characters (aws_iam_user_login_profile password_length).
  "aws:iam/userLoginProfile:UserLoginProfile": (i, ctx) => [
    ...exists(ctx, "aws:iam/user:User", i.user, "user"),
    ...within("passwordLength", i.passwordLength, 5, 128),
  ],
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html (inline policies: 2,048 characters per user)
  "aws:iam/userPolicy:UserPolicy": (i, ctx) => [
    ...NAMES.iamPolicy(i.name),
    ...exists(ctx, "aws:iam/user:User", i.user, "user"),
    ...policyProblems(i.policy, "identity", 2048),
  ],
};
