// The KDG password rule is written twice on purpose: components/passwordPolicy.ts is the program's
// (the config validator and the user pool use it), offline/fakeAws/rules/cognito.ts is Cognito's as
// the fake account enforces it, and the fake shares no validator with the code it checks. This test
// ties the two: on the same passwords and policies they must agree, so neither can drift alone.

import { strict as assert } from "node:assert";
import { KDG_PASSWORD_POLICY, passwordProblems, type PasswordPolicy } from "../../components/passwordPolicy";
import { cognitoPasswordProblems } from "../../offline/fakeAws/rules/cognito";

const POLICIES: PasswordPolicy[] = [
  KDG_PASSWORD_POLICY,
  // Cognito's defaults when a pool names no policy.
  { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
  { minimumLength: 6, requireLowercase: false, requireUppercase: false, requireNumbers: false, requireSymbols: false },
];

const PASSWORDS = [
  "",
  "short1A",
  "Abcdefghijk1",
  "abcdefghijk1",
  "ABCDEFGHIJK1",
  "Abcdefghijkl",
  "Abcdefghij1!",
  "Abcdefghij1 x",
  " Abcdefghij1",
  "Abcdefghij1 ",
  ...[..."^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"].map((ch) => `Abcdefghij1${ch}`),
  "Abcdefghij1é",
  "A1a".repeat(86),
];

describe("the KDG password rule's two copies (program and fake Cognito)", () => {
  for (const [n, policy] of POLICIES.entries()) {
    it(`agree on ${PASSWORDS.length} passwords under policy ${n}`, () => {
      for (const pw of PASSWORDS) assert.deepEqual(cognitoPasswordProblems(pw, policy), passwordProblems(pw, policy), JSON.stringify(pw));
    });
  }

  it("refuse what each is for: a symbol missing where one is required, a trailing space, 257 characters", () => {
    const strict = POLICIES[1]!;
    assert.match(cognitoPasswordProblems("Abcdefghij1", strict).join(), /no symbol/);
    assert.match(cognitoPasswordProblems("Abcdefghij1 ", strict).join(), /starts or ends with a space/);
    assert.match(cognitoPasswordProblems(`Aa1!${"x".repeat(253)}`, strict).join(), /longer than 256/);
  });
});
