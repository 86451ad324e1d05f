// During a preview, an ARN or id inside an IAM document is unknown while the resource it names
// does not exist yet (a stream's ARN, the identity pool's id in the KDG role's trust). The resource
// rules read everything else in the document; this stack rule decides the unknown parts by URN:
// the engine records which resources each property was built from (propertyDependencies), so an
// unknown part must come from this stack's own lab resources, and the property must say so. At
// `pulumi up` the values are known and the resource rules judge them before the policy is created.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isLabType } from "./labTypes";
import { DOCUMENT_PROPS } from "./iamDocuments";
import { isUnknownValue, stackRule } from "./support";

/** Whether reading the whole value meets an unknown anywhere inside it. */
export function holdsUnknown(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return false;
  } catch (e) {
    if (isUnknownValue(e)) return true;
    throw e;
  }
}

function documentProps(r: PolicyResource): string[] {
  return [...(DOCUMENT_PROPS[r.type] ?? []).map((d) => d.prop), ...(r.type === "aws:iam/role:Role" ? ["inlinePolicies"] : [])];
}

export const iamUnknownsFromThisStackPolicy: StackValidationPolicy = {
  name: "iam-unknowns-from-this-stack",
  description: "An IAM document's parts unknown at preview are built from this stack's own lab resources (propertyDependencies, by URN).",
  enforcementLevel: "mandatory",
  validateStack: stackRule((args, report) => {
    const inStack = new Set(args.resources.map((r) => r.urn));
    for (const r of args.resources) {
      for (const prop of documentProps(r)) {
        if (!holdsUnknown(r.props[prop])) continue;
        const from = r.propertyDependencies[prop] ?? [];
        if (from.length === 0)
          report(
            `${prop} holds values unknown at preview that come from no resource of this stack; build it from this stack's resources.`,
            r.urn,
          );
        const strays = from.filter((d) => !inStack.has(d.urn) || !isLabType(d.type));
        if (strays.length > 0)
          report(`${prop} is built from ${strays.map((d) => d.type).join(", ")}, not this stack's lab resources.`, r.urn);
      }
    }
  }),
};
