package lab.clickstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;

/**
 * Operator uids for the operators the SQL planner makes, so that a snapshot's state goes back into
 * the same operator after an update, and never into a different one.
 *
 * <p>Why not the planner's own: Flink 1.20 sets uids on SQL operators only for compiled plans
 * ({@code table.exec.uid.generation} PLAN_ONLY, the default); ALWAYS numbers them from a counter
 * that is static in the planner, so the same job planned twice in one JVM gets other ids, and a
 * compiled plan cannot hold a DataStream source. Without uids, Flink derives each operator's id
 * from its position in the whole graph: adding an output anywhere moves the forest's id, and its
 * state is lost.
 *
 * <p>What is used instead: each operator's uid is a hash of its own plan (the planner's
 * description of it: the window's size, the join's bounds, RANDOM_CUT_FOREST's arguments, the
 * columns it keeps, without the planner's node numbers) and of the uids of its inputs, down to the
 * DataStream operators that carry fixed uids. So an operator keeps its uid, and its state, exactly
 * when neither it nor anything upstream of it changed: a new threshold changes only the final
 * filter, and the windows and the forest carry on; new forest parameters change the forest's
 * operator and those after it, and the windows carry on; a changed window length changes every SQL
 * operator. An operator whose state layout could differ always gets a new uid, so old state is
 * never restored into it (which would fail the restore, allowNonRestoredState or not); the state it
 * leaves behind is unclaimed, and the job allows that ({@link ClickstreamJob#RESTORE_POLICY}).
 * docs/detection.md ("Updates and the forest") gives the cost of each kind of change.
 */
public final class StableUids {
  /** The planner's node number in front of each description, e.g. "[17]:OverAggregate(...)". */
  private static final Pattern NODE_NUMBER = Pattern.compile("^\\[\\d+]:");
  /** Node numbers in operator names, e.g. "OverAggregate[17]". */
  private static final Pattern NAME_NUMBER = Pattern.compile("\\[\\d+]$");
  /** The DataStream source's table gets a counter, e.g. *anonymous_datastream_source$1*. */
  private static final Pattern ANONYMOUS_SOURCE = Pattern.compile("\\*anonymous_datastream_source\\$\\d+\\*");

  private StableUids() {}

  /**
   * Gives every transformation upstream of (and including) {@code last} that has no uid one of the
   * form {@code sql-<kind>-<12 hex>}. Transformations that already have one (the DataStream ends)
   * keep it and anchor the hashes.
   *
   * @return the uids given, by transformation, for tests and the log
   * @throws IllegalStateException when two operators would get the same uid (two identical
   *     operators on identical inputs: the planner does not make those)
   */
  public static Map<Transformation<?>, String> assign(Transformation<?> last) {
    Map<Transformation<?>, String> given = new HashMap<>();
    Set<String> used = new HashSet<>();
    identity(last, new HashMap<>(), given, used);
    return given;
  }

  private static String identity(Transformation<?> t, Map<Integer, String> memo, Map<Transformation<?>, String> given, Set<String> used) {
    String known = memo.get(t.getId());
    if (known != null) return known;
    if (t.getUid() != null) {
      memo.put(t.getId(), t.getUid());
      return t.getUid();
    }
    StringBuilder plan = new StringBuilder(describe(t));
    for (Transformation<?> in : t.getInputs()) plan.append('|').append(identity(in, memo, given, used));
    String hash = sha256(plan.toString()).substring(0, 12);
    String uid = "sql-" + kind(t) + "-" + hash;
    memo.put(t.getId(), uid);
    // An exchange is no operator: it has no state and Flink takes no uid for it.
    if (!(t instanceof PartitionTransformation)) {
      if (!used.add(uid)) throw new IllegalStateException("two operators of the job would share the uid " + uid + ": " + describe(t));
      t.setUid(uid);
      given.put(t, uid);
    }
    return uid;
  }

  /** The transformation's plan without what varies between two plannings of the same SQL. */
  static String describe(Transformation<?> t) {
    String d = t.getDescription() != null ? t.getDescription() : t.getName();
    return ANONYMOUS_SOURCE.matcher(NODE_NUMBER.matcher(d).replaceFirst("")).replaceAll("*anonymous_datastream_source*");
  }

  /** A readable kind for the uid: "OverAggregate[17]" → "overaggregate". */
  private static String kind(Transformation<?> t) {
    String name = NAME_NUMBER.matcher(t.getName()).replaceFirst("");
    String k = name.toLowerCase().replaceAll("[^a-z]+", "");
    return k.isEmpty() || k.contains("anonymousdatastreamsource") ? "scan" : k;
  }

  private static String sha256(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : h) hex.append(String.format("%02x", b));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
