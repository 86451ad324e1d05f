package lab.clickstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The job's configuration: Managed Flink's property groups, checked against the contract in
 * runtime-properties.json (which the Pulumi component builds the groups from). Unknown groups or
 * keys, missing required keys and non-numbers are all reported at once, naming group and key.
 */
public final class RuntimeProperties {
  /** Where Managed Flink puts the application's property groups (read by aws-kinesisanalytics-runtime too). */
  public static final Path MANAGED_FLINK_FILE = Path.of("/etc/flink/application_properties.json");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Properties> groups;

  private RuntimeProperties(Map<String, Properties> groups) {
    this.groups = groups;
  }

  /** The contract: group → key → default ("" where there is none and the key is required). */
  public static Map<String, Map<String, JsonNode>> contract() {
    try (InputStream in = RuntimeProperties.class.getResourceAsStream("/runtime-properties.json")) {
      if (in == null) throw new IllegalStateException("runtime-properties.json is missing from the JAR");
      JsonNode root = JSON.readTree(in).get("groups");
      Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> g = root.fields(); g.hasNext(); ) {
        Map.Entry<String, JsonNode> group = g.next();
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> k = group.getValue().fields(); k.hasNext(); ) {
          Map.Entry<String, JsonNode> key = k.next();
          keys.put(key.getKey(), key.getValue());
        }
        out.put(group.getKey(), keys);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads Managed Flink's file format: [{"PropertyGroupId": …, "PropertyMap": {…}}, …]. */
  public static RuntimeProperties fromFile(Path file) {
    try {
      Map<String, Properties> groups = new LinkedHashMap<>();
      for (JsonNode group : JSON.readTree(Files.readAllBytes(file))) {
        Properties p = new Properties();
        group.get("PropertyMap").fields().forEachRemaining(e -> p.setProperty(e.getKey(), e.getValue().asText()));
        groups.put(group.get("PropertyGroupId").asText(), p);
      }
      return of(groups);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read runtime properties from " + file, e);
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
    for (String group : List.of("Detection", "RandomCutForest"))
      for (String key : resolved.get(group).stringPropertyNames()) {
        String v = resolved.get(group).getProperty(key);
        try {
          Double.parseDouble(v);
        } catch (NumberFormatException e) {
          problems.add(group + "." + key + " must be a number, not '" + v + "'");
        }
      }
    if (!problems.isEmpty()) throw new IllegalArgumentException("runtime properties: " + String.join("; ", problems));
    return new RuntimeProperties(resolved);
  }

  public String get(String group, String key) {
    String v = groups.get(group).getProperty(key);
    if (v == null) throw new IllegalArgumentException("no runtime property " + group + "." + key + " in the contract");
    return v;
  }

  public Properties group(String group) {
    return groups.get(group);
  }

  public double number(String group, String key) {
    return Double.parseDouble(get(group, key));
  }

  /** The Detection and RandomCutForest values the SQL refers to as ${key}. */
  public Map<String, String> sqlParameters() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String group : List.of("Detection", "RandomCutForest"))
      for (String key : groups.get(group).stringPropertyNames()) out.put(key, groups.get(group).getProperty(key));
    return out;
  }
}
