package lab.clickstream;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Runtime properties for tests: the defaults, streams named, and overrides of Detection or RandomCutForest keys. */
final class Jobs {
  private Jobs() {}

  static RuntimeProperties properties(String... detectionOverrides) {
    Map<String, Properties> groups = new HashMap<>();
    Properties ingest = new Properties();
    ingest.setProperty("stream.name", "test-clicks");
    Properties anomalies = new Properties();
    anomalies.setProperty("stream.name", "test-anomalies");
    Properties detection = new Properties();
    Properties forest = new Properties();
    for (int i = 0; i + 1 < detectionOverrides.length; i += 2) {
      boolean forestKey = RuntimeProperties.contract().get("RandomCutForest").containsKey(detectionOverrides[i]);
      (forestKey ? forest : detection).setProperty(detectionOverrides[i], detectionOverrides[i + 1]);
    }
    groups.put("RandomCutForest", forest);
    groups.put("IngestStream", ingest);
    groups.put("AnomaliesStream", anomalies);
    groups.put("Detection", detection);
    return RuntimeProperties.of(groups);
  }
}
