// The local lab starts the Flink job with the JVM module opens of the job's own build (the
// surefire argLine in analytics/pom.xml), so the tests and the lab cannot drift apart.

import { strict as assert } from "node:assert";
import { jvmOpens } from "../../local/lab";

describe("the local lab's JVM options", () => {
  it("are the --add-opens of analytics/pom.xml's surefire argLine, each once", () => {
    const opens = jvmOpens();
    for (const pkg of ["java.util", "java.lang", "java.lang.reflect", "java.nio", "sun.nio.ch"])
      assert.ok(opens.includes(`--add-opens=java.base/${pkg}=ALL-UNNAMED`), pkg);
    assert.equal(new Set(opens).size, opens.length);
    for (const o of opens) assert.match(o, /^--add-opens=[\w.]+\/[\w.]+=ALL-UNNAMED$/);
  });

  it("reads every argLine and ignores the other arguments", () => {
    const pom =
      "<argLine>-Xmx1g --add-opens=java.base/java.util=ALL-UNNAMED</argLine>\n<argLine>--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED</argLine>";
    assert.deepEqual(jvmOpens(pom), ["--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED"]);
  });

  it("names the POM when it carries none", () =>
    assert.throws(() => jvmOpens("<project><argLine>-Xmx1g</argLine></project>"), /analytics\/pom\.xml has no --add-opens/));
});
