package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The SQL operators' uids (StableUids), planned without running anything: the same job planned
 * twice in one JVM gets the same uids; and for every runtime property of the SQL, the contract's
 * "restart" (sql/runtime-properties.json, which the rollout's warm-up figures come from) says what
 * changing it really does to the stateful operators' uids: "none" keeps them all, "forest" keeps the
 * windows and gives the forest a new one, "windows" gives every one a new uid.
 */
class StableUidsTest {
  /** Stateful operator kind → the uids of the operators of that kind, in the planned job. */
  static Map<String, Set<String>> statefulUids(RuntimeProperties props) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ClickstreamJob.Pipeline p = ClickstreamJob.build(env, env.fromData(new KinesisRecord(new byte[0], 0L)), props);
    Map<String, Set<String>> out = new TreeMap<>();
    List<Transformation<?>> todo = new ArrayList<>(List.of(p.scored.getTransformation(), p.anomalies.getTransformation()));
    Set<Integer> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Transformation<?> t = todo.remove(todo.size() - 1);
      if (!seen.add(t.getId())) continue;
      todo.addAll(t.getInputs());
      String d = StableUids.describe(t);
      String kind = d.startsWith("GlobalWindowAggregate") ? "windows" : d.startsWith("IntervalJoin") ? "join" : d.contains("RANDOM_CUT_FOREST") ? "forest" : null;
      if (kind != null) out.computeIfAbsent(kind, k -> new HashSet<>()).add(t.getUid());
    }
    return out;
  }

  @Test
  void everyStatefulSqlOperatorHasAUidThatStaysTheSameWhenPlannedAgain() {
    Map<String, Set<String>> first = statefulUids(Jobs.properties());
    assertEquals(Set.of("windows", "join", "forest"), first.keySet());
    assertEquals(2, first.get("windows").size(), "one window aggregate each for clicks and impressions: " + first);
    for (Set<String> uids : first.values()) for (String uid : uids) assertTrue(uid != null && uid.startsWith("sql-"), "uid " + uid);
    assertEquals(first, statefulUids(Jobs.properties()), "the second planning in the same JVM gives the same uids");
  }

  @Test
  void eachSqlPropertysRestartInTheContractIsWhatChangingItDoes() throws Exception {
    Map<String, Set<String>> today = statefulUids(Jobs.properties());
    JsonNode groups;
    try (InputStream in = StableUidsTest.class.getResourceAsStream("/sql/runtime-properties.json")) {
      groups = new ObjectMapper().readTree(in).get("groups");
    }
    int checked = 0;
    for (String group : List.of("Detection", "RandomCutForest")) {
      for (Map.Entry<String, JsonNode> key : (Iterable<Map.Entry<String, JsonNode>>) groups.get(group)::fields) {
        String restart = key.getValue().path("restart").asText();
        assertNotNull(key.getValue().get("restart"), group + "/" + key.getKey() + " has no restart in the contract");
        double value = Double.parseDouble(key.getValue().get("default").asText());
        // Another valid value: half again as much, whole numbers for whole-number properties.
        String other = value == Math.rint(value) ? String.valueOf((long) value + 1) : String.valueOf(value * 1.5);
        Map<String, Set<String>> changed = statefulUids(Jobs.properties(group + "." + key.getKey(), other));
        String what = group + "/" + key.getKey() + " (restart \"" + restart + "\") changed to " + other;
        boolean windowsKept = today.get("windows").equals(changed.get("windows")) && today.get("join").equals(changed.get("join"));
        boolean forestKept = today.get("forest").equals(changed.get("forest"));
        switch (restart) {
          case "none":
            assertTrue(windowsKept && forestKept, what + " keeps every stateful operator's uid");
            break;
          case "forest":
            assertTrue(windowsKept && !forestKept, what + " keeps the windows and gives the forest a new uid");
            break;
          case "windows":
            assertTrue(!windowsKept && !forestKept, what + " gives the windows and the forest new uids");
            break;
          default:
            throw new AssertionError(what + ": restart must be none, forest or windows");
        }
        checked++;
      }
    }
    assertEquals(7, checked, "every Detection and RandomCutForest key was checked");
  }
}
