// IAM documents as the program writes them (JSON strings) and as aws.iam.PolicyDocument objects.

export const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
export const rolePolicy = (...statements: object[]) => ({
  type: "aws:iam/rolePolicy:RolePolicy",
  props: { role: "r", policy: doc(...statements) },
});
export const role = (trust: object, extra: Record<string, unknown> = {}) => ({
  type: "aws:iam/role:Role",
  props: { name: "r", assumeRolePolicy: doc(trust), ...extra },
});
export const serviceTrust = (service: string) => ({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
