package lab.clickstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab's SQL (sql/ at the repository's top, copied into the JAR): loaded, filled in, split. */
public final class LabSql {
  public static final String SCRIPT = "/sql/anomaly-detection.sql";
  /** ${Group.key}: a runtime property, qualified by its group as in the contract. */
  private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z]+)\\.([a-z.]+)}");
  /** The groups whose values were checked to be numbers (RuntimeProperties), so nothing can inject SQL. */
  private static final Set<String> SQL_GROUPS = Set.of("Detection", "RandomCutForest");

  private LabSql() {}

  public static String load() {
    try (InputStream in = LabSql.class.getResourceAsStream(SCRIPT)) {
      if (in == null) throw new IllegalStateException(SCRIPT + " is missing from the JAR");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fills each ${Group.key} with property(group, key), drops comment lines and splits the script
   * into statements.
   *
   * @throws IllegalArgumentException when the SQL names a group whose values are not checked numbers
   */
  public static List<String> statements(String script, BiFunction<String, String, String> property) {
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      String bare = line.strip();
      if (!bare.startsWith("--")) code.append(line).append('\n');
    }
    Matcher m = PARAMETER.matcher(code);
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      if (!SQL_GROUPS.contains(m.group(1))) throw new IllegalArgumentException("the SQL uses ${" + m.group(1) + "." + m.group(2) + "}; only runtime properties of " + SQL_GROUPS + " (checked numbers) may appear in it");
      m.appendReplacement(filled, Matcher.quoteReplacement(property.apply(m.group(1), m.group(2))));
    }
    m.appendTail(filled);
    List<String> out = new ArrayList<>();
    for (String s : filled.toString().split(";\\s*(\n|$)")) if (!s.isBlank()) out.add(s.strip());
    return out;
  }
}
