// Two teams in one account: every grant of team A must miss every resource of team B. This is
// the defect of the 2020 template, where any team's KDG user could write any team's stream.

import { strict as assert } from "node:assert";
import { MockAccount } from "../../offline/fakeAws/account";
import { asList } from "../../offline/fakeAws/policyGrammar";
import { runTeam, statements, type TeamRun } from "../support";

/** IAM's resource matching: * and ? are wildcards, everything else literal. */
function iamMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(arn);
}

/** Every ARN of a team's resources, plus an object inside each bucket. */
function arnsOf(run: TeamRun): string[] {
  const arns = run.resources.map((r) => r.state.arn).filter((a): a is string => typeof a === "string");
  return [
    ...arns,
    ...arns.filter((a) => a.startsWith("arn:aws:s3:::")).map((a) => `${a}/weblogs/raw/x.gz`),
    ...arns.filter((a) => a.includes(":log-group:")).map((a) => `${a}:log-stream:S3Delivery`),
  ];
}

// Listing calls that support no resource-level permission: they reveal names, never data.
const LIST_ONLY = new Set(["kinesis:ListStreams", "firehose:ListDeliveryStreams", "ec2:DescribeRegions"]);

describe("isolation between teams in one account", () => {
  let a: TeamRun;
  let b: TeamRun;
  before(async () => {
    const account = new MockAccount();
    a = await runTeam({ team: "alpha" }, account);
    b = await runTeam({ team: "bravo", notificationEmail: "bravo@example.com" }, account);
  });

  it("gives the two teams disjoint physical resources", () => {
    const ids = (run: TeamRun) =>
      new Set(
        run.resources
          .filter((r) => r.type.startsWith("aws:"))
          .map((r) => `${r.type}:${typeof r.state.arn === "string" ? r.state.arn : r.id}`),
      );
    const shared = [...ids(a)].filter((id) => ids(b).has(id));
    assert.deepEqual(shared, []);
  });

  for (const role of ["clickstream-alpha-kdg-producer", "clickstream-alpha-firehose"]) {
    it(`lets ${role} reach nothing of team bravo`, () => {
      const policy = a.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role)!;
      const bravo = arnsOf(b);
      assert.ok(bravo.length > 15, "team bravo has resources to compare against");
      for (const s of statements(policy.inputs.policy)) {
        for (const resource of asList(s.Resource)) {
          if (resource === "*") {
            assert.ok(
              asList(s.Action).every((x) => LIST_ONLY.has(x)),
              `"*" only for list calls, not ${String(s.Action)}`,
            );
            continue;
          }
          const hits = bravo.filter((arn) => iamMatches(resource, arn));
          assert.deepEqual(hits, [], `${resource} reaches team bravo`);
        }
      }
    });
  }

  it("would catch a grant on every stream of the account", () => {
    assert.ok(
      iamMatches(
        "arn:aws:kinesis:us-east-1:123456789012:stream/*",
        "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-bravo-clicks",
      ),
    );
  });

  it("keeps team alpha's own grants reachable (the check is not vacuous)", () => {
    const alpha = arnsOf(a);
    const policy = a.all("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === "clickstream-alpha-kdg-producer")!;
    const [send] = statements(policy.inputs.policy);
    assert.ok(alpha.some((arn) => iamMatches(String(send!.Resource), arn)));
  });
});
