package lab.clickstream;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Runtime properties for tests: the contract's defaults, streams named, and overrides given as "Group.key", value. */
final class Jobs {
  private Jobs() {}

  static RuntimeProperties properties(String... overrides) {
    Map<String, Properties> groups = new HashMap<>();
    groups.computeIfAbsent("IngestStream", g -> new Properties()).setProperty("stream.name", "test-clicks");
    groups.computeIfAbsent("AnomaliesStream", g -> new Properties()).setProperty("stream.name", "test-anomalies");
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      String qualified = overrides[i];
      int dot = qualified.indexOf('.');
      if (dot < 0) throw new IllegalArgumentException("override " + qualified + " must be Group.key");
      groups.computeIfAbsent(qualified.substring(0, dot), g -> new Properties()).setProperty(qualified.substring(dot + 1), overrides[i + 1]);
    }
    return RuntimeProperties.of(groups);
  }
}
