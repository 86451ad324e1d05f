package lab.clickstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab's SQL (sql/ at the repository's top, copied into the JAR): loaded, filled in, split. */
public final class LabSql {
  public static final String SCRIPT = "/sql/anomaly-detection.sql";
  private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-z.]+)}");

  private LabSql() {}

  public static String load() {
    try (InputStream in = LabSql.class.getResourceAsStream(SCRIPT)) {
      if (in == null) throw new IllegalStateException(SCRIPT + " is missing from the JAR");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills ${key} from the parameters; every value was checked to be a number, so nothing can inject SQL. */
  public static List<String> statements(String script, Map<String, String> parameters) {
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      String bare = line.strip();
      if (!bare.startsWith("--")) code.append(line).append('\n');
    }
    Matcher m = PARAMETER.matcher(code);
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      String value = parameters.get(m.group(1));
      if (value == null) throw new IllegalArgumentException("the SQL uses ${" + m.group(1) + "}, which is not a runtime property of Detection or RandomCutForest");
      m.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    m.appendTail(filled);
    List<String> out = new ArrayList<>();
    for (String s : filled.toString().split(";\\s*(\n|$)")) if (!s.isBlank()) out.add(s.strip());
    return out;
  }
}
