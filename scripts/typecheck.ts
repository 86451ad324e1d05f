// `npm run typecheck`: tsc over the whole repository, and a record of the clean result that the
// program's own check on change reads (infra/typecheck.ts), so that `pulumi up` after a clean
// `npm run typecheck` does not type-check the program again (issue 24).

import { typecheckRepository } from "../infra/typecheck";
import { ROOT } from "../paths";

const errors = typecheckRepository(ROOT);
if (errors) {
  process.stderr.write(`${errors}\n`);
  process.exitCode = 1;
}
