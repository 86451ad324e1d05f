// A team stack lands only in its own account (issue 23 item 2), on the real engine: the program gives
// its provider the team's profile and allowedAccountIds, and the fake AWS provider plugin answers
// Configure as the AWS provider does, refusing credentials that reach another account before any
// resource is read or created. The shell holds keys of the team's account (111111111111), as the
// checklist's set-up leaves them; the stack's own profile reaches 222222222222.

import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandbox, type EngineSandbox } from "../../offline/engine/sandbox";
import { endsAtIn, initStack } from "../support/engine";

describe("a team stack's provider refuses any account but the team's own (real engine)", function () {
  this.timeout(1_800_000);
  let sb: EngineSandbox;
  let env: NodeJS.ProcessEnv;
  const pulumi = (args: string[]) => sb.run(join(sb.env.PATH!.split(":")[0]!, "pulumi"), args, { env });

  before(async () => {
    sb = createSandbox();
    // moto's convention, which the fake account follows: a 12-digit access key ID is the account.
    const credentials = join(mkdtempSync(join(tmpdir(), "guard-aws-")), "credentials");
    writeFileSync(credentials, "[other]\naws_access_key_id = 222222222222\naws_secret_access_key = x\n");
    env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_ACCESS_KEY_ID: "111111111111", AWS_SECRET_ACCESS_KEY: "x" };
    await initStack(
      sb,
      "dev",
      [
        ["notificationEmail", "team@example.com"],
        ["endsAt", endsAtIn(4)],
        ["allowedAccountIds", "111111111111"],
        ["awsProfile", "other"],
      ],
      { env },
    );
  });
  after(() => sb?.dispose());

  it("up with a profile that reaches another account is refused before anything is created", async () => {
    const r = await pulumi(["up", "--yes"]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stdout + r.stderr, /AWS account ID not allowed: 222222222222 \(allowed: 111111111111\)/);
    assert.deepEqual(sb.account().resources, [], "nothing was created");
  });
});
