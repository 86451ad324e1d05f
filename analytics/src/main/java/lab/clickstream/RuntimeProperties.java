package lab.clickstream;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The job's configuration: Managed Flink's property groups, checked against the contract
 * sql/runtime-properties.json (which the Pulumi component builds the groups from). Unknown groups
 * or keys, missing required keys and non-numbers are all reported at once, naming group and key.
 *
 * Every value is read as (group, key): two groups may use the same key name without one hiding the
 * other. Every key the job asks for is recorded ({@link #keysRead()}), so that a test can compare
 * what the job really reads with the contract.
 */
public final class RuntimeProperties {
  /** The contract's place in the JAR: the build copies sql/ under this folder (analytics/pom.xml). */
  public static final String CONTRACT = "/sql/runtime-properties.json";
  /** Groups whose values must be numbers: the SQL takes them as literals. */
  private static final List<String> NUMERIC_GROUPS = List.of("Detection", "RandomCutForest");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Properties> groups;
  private final Set<String> read = Collections.synchronizedSet(new TreeSet<>());

  private RuntimeProperties(Map<String, Properties> groups) {
    this.groups = groups;
  }

  /** The contract: group → key → {default, required, description}. */
  public static Map<String, Map<String, JsonNode>> contract() {
    try (InputStream in = RuntimeProperties.class.getResourceAsStream(CONTRACT)) {
      if (in == null) throw new IllegalStateException(CONTRACT + " is missing from the JAR (analytics/pom.xml copies sql/ into it)");
      JsonNode root = JSON.readTree(in).get("groups");
      Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> g = root.fields(); g.hasNext(); ) {
        Map.Entry<String, JsonNode> group = g.next();
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        group.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue()));
        out.put(group.getKey(), keys);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every key of the contract as "Group.key", in order. */
  public static Set<String> contractKeys() {
    Set<String> out = new TreeSet<>();
    contract().forEach((group, keys) -> keys.keySet().forEach(k -> out.add(group + "." + k)));
    return out;
  }

  /**
   * The application's properties as Managed Flink hands them over: through the runtime's own API
   * ({@code KinesisAnalyticsRuntime.getApplicationProperties()}, which reads the file the service
   * writes). A local run passes a file in the same format as its first argument instead.
   *
   * @throws IllegalArgumentException naming the file when it is missing, or listing every problem
   *     with the groups
   */
  public static RuntimeProperties load(String[] args) {
    try {
      if (args.length == 0) return of(KinesisAnalyticsRuntime.getApplicationProperties());
      Path file = Path.of(args[0]);
      if (!Files.exists(file)) throw new IllegalArgumentException("no runtime properties at " + file + " (pass a file in Managed Flink's format: [{\"PropertyGroupId\": …, \"PropertyMap\": {…}}])");
      return of(KinesisAnalyticsRuntime.getApplicationProperties(file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the application's runtime properties" + (args.length > 0 ? " from " + args[0] : ""), e);
    }
  }

  /** Checks the groups against the contract and fills in defaults. */
  public static RuntimeProperties of(Map<String, Properties> given) {
    Map<String, Map<String, JsonNode>> contract = contract();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Properties> g : given.entrySet()) {
      Map<String, JsonNode> known = contract.get(g.getKey());
      if (known == null) {
        problems.add("unknown property group " + g.getKey() + " (known: " + contract.keySet() + ")");
        continue;
      }
      for (String key : g.getValue().stringPropertyNames())
        if (!known.containsKey(key)) problems.add("unknown key " + g.getKey() + "." + key + " (known: " + known.keySet() + ")");
    }
    Map<String, Properties> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, JsonNode>> g : contract.entrySet()) {
      Properties p = new Properties();
      Properties in = given.getOrDefault(g.getKey(), new Properties());
      for (Map.Entry<String, JsonNode> k : g.getValue().entrySet()) {
        String value = in.getProperty(k.getKey());
        if (value == null && k.getValue().has("default")) value = k.getValue().get("default").asText();
        if (value == null || (value.isEmpty() && k.getValue().path("required").asBoolean(false))) {
          problems.add("missing " + g.getKey() + "." + k.getKey() + ": " + k.getValue().path("description").asText());
          continue;
        }
        p.setProperty(k.getKey(), value);
      }
      resolved.put(g.getKey(), p);
    }
    for (String group : NUMERIC_GROUPS)
      for (String key : resolved.get(group).stringPropertyNames()) {
        String v = resolved.get(group).getProperty(key);
        if (!isNumber(v)) problems.add(group + "." + key + " must be a number, not '" + v + "'");
      }
    String interval = resolved.get("IngestStream").getProperty("getrecords.interval.ms");
    if (interval != null && !(isNumber(interval) && Double.parseDouble(interval) >= 200))
      problems.add("IngestStream.getrecords.interval.ms must be a number of milliseconds of at least 200 (5 GetRecords per second is a shard's limit for all readers), not '" + interval + "'");
    if (!problems.isEmpty()) throw new IllegalArgumentException("runtime properties: " + String.join("; ", problems));
    return new RuntimeProperties(resolved);
  }

  private static boolean isNumber(String v) {
    try {
      return Double.isFinite(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The value of group.key (the contract's default where the application sets none).
   *
   * @throws IllegalArgumentException when the contract has no such key
   */
  public String get(String group, String key) {
    Properties g = groups.get(group);
    String v = g == null ? null : g.getProperty(key);
    if (v == null) throw new IllegalArgumentException("no runtime property " + group + "." + key + " in the contract " + CONTRACT);
    read.add(group + "." + key);
    return v;
  }

  /** {@link #get} as a number; the numeric groups were checked when loaded. */
  public double number(String group, String key) {
    return Double.parseDouble(get(group, key));
  }

  /** Every "Group.key" the job has asked for so far. */
  public Set<String> keysRead() {
    return Collections.unmodifiableSet(new TreeSet<>(read));
  }
}
