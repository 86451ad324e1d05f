package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job survives its own update (issue #22): a savepoint taken from today's job mid-stream is
 * restored into each kind of changed job the project can ship — a new threshold, new forest
 * parameters, a changed SQL query, a new JAR with the same SQL — and each comes back and scores
 * windows. Across every update no window is lost or counted twice, and each window counts exactly
 * the clicks and impressions of a run that never stopped (the ingest position and the open windows
 * carry over). Where the forest's state carries over, the scores are exactly those of the
 * uninterrupted run; where it cannot (new forest parameters, a change upstream of
 * RANDOM_CUT_FOREST), the forest starts again and scores 0 for exactly sub.sample.size windows, the
 * warm-up docs/detection.md states.
 *
 * <p>Every restore runs with Flink's allowNonRestoredState explicitly off, as Managed Flink restores
 * after an update that does not repeat the flag: the job's own restore policy
 * (ClickstreamJob.restorePolicy) must be what lets the changed jobs start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavepointRestoreTest {
  @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();
  /** The scored rows of the job running now (one job at a time). */
  static final ConcurrentLinkedQueue<String> OUT = new ConcurrentLinkedQueue<>();
  /** Lab seconds: the update comes here, so that 23 windows follow it and the burst (300 s) comes after a restarted forest's warm-up. */
  static final int SPLIT_SECOND = 150;
  static final int SUB_SAMPLE = 12;

  static final class Collect implements SinkFunction<String> {
    @Override
    public void invoke(String value, Context context) {
      OUT.add(value);
    }
  }

  /** One scored window: counts, score and verdict. */
  static final class Window {
    final long clicks;
    final long impressions;
    final double score;
    final boolean anomaly;

    Window(long clicks, long impressions, double score, boolean anomaly) {
      this.clicks = clicks;
      this.impressions = impressions;
      this.score = score;
      this.anomaly = anomaly;
    }

    long clicks() {
      return clicks;
    }

    long impressions() {
      return impressions;
    }

    double score() {
      return score;
    }

    boolean anomaly() {
      return anomaly;
    }

    @Override
    public String toString() {
      return clicks + "/" + impressions + " score " + score + (anomaly ? " ANOMALY" : "");
    }
  }

  List<KinesisRecord> before = new ArrayList<>();
  List<KinesisRecord> after = new ArrayList<>();
  /** Window start (lab s) → the row of a run that never stopped. */
  Map<Long, Window> uninterrupted;
  /** The rows today's job scored before it was stopped with a savepoint, and the savepoint. */
  Map<Long, Window> beforeStop;
  String savepoint;
  int lastWindowStart;

  /**
   * Starts a job over `records` with an open-ended source; returns once all are emitted.
   *
   * @param change what differs from today's job: properties, the SQL script, extra DataStream
   *     operators (a new JAR)
   */
  static JobClient start(List<KinesisRecord> records, Configuration conf, RuntimeProperties props, String script, Consumer<ClickstreamJob.Pipeline> more) throws Exception {
    OUT.clear();
    ReplayShard.EMITTED.set(0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    ClickstreamJob.restorePolicy(env);
    // The reader never reaches the tip: event time follows the replayed arrivals alone. (A tip read
    // would move it to today, past the records of the second half, which in a real restart arrive
    // after the stop; the window operators keep their watermark in the savepoint.)
    ClickstreamJob.Pipeline p = ClickstreamJob.build(env, env.addSource(ReplayShard.backlog(records, 0).neverAtTip()).uid("replay"), props, script);
    p.scored.addSink(new Collect()).uid("collect");
    more.accept(p);
    JobClient job = env.executeAsync("savepoint test");
    while (ReplayShard.EMITTED.get() < records.size()) {
      // A restore that fails (state no operator claims, with the flag off) fails the job at once.
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        try {
          job.getJobExecutionResult().get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("the job did not start: " + e.getCause(), e);
        }
        throw new AssertionError("the job ended before it read its records");
      }
      Thread.sleep(20);
    }
    return job;
  }

  static RuntimeProperties today(String... overrides) {
    return Jobs.properties(overrides);
  }

  /** Waits until the job has scored the window starting at `lastStart` (lab s), or a minute. */
  static Map<Long, Window> rows(long lastStart) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.currentTimeMillis() + 120_000;
    Map<Long, Window> out = new TreeMap<>();
    while (System.currentTimeMillis() < deadline) {
      out.clear();
      for (String row : OUT) {
        JsonNode n = json.readTree(row);
        out.put(ClickstreamJobTest.second(n), new Window(n.get("clicks").asLong(), n.get("impressions").asLong(), n.get("anomalyScore").asDouble(), n.get("anomaly").asBoolean()));
      }
      if (out.containsKey(lastStart)) break;
      Thread.sleep(50);
    }
    return out;
  }

  @BeforeAll
  void todaysJobStopsWithASavepoint(@TempDir Path savepoints) throws Exception {
    List<KinesisRecord> all = LabTraffic.labScript(300, 100, 11);
    long split = LabTraffic.START.toEpochMilli() + SPLIT_SECOND * 1000L;
    for (KinesisRecord r : all) (r.arrivalMillis < split ? before : after).add(r);
    // The last window stays open, as on a shard with no more traffic: the one before it is the last scored.
    lastWindowStart = 380;

    JobClient whole = start(all, new Configuration(), today(), LabSql.load(), p -> {});
    uninterrupted = rows(lastWindowStart);
    whole.cancel().get();
    assertEquals(lastWindowStart / 10 + 1, uninterrupted.size(), "the uninterrupted run scored every window: " + uninterrupted.keySet());

    JobClient first = start(before, new Configuration(), today(), LabSql.load(), p -> {});
    beforeStop = rows(SPLIT_SECOND - 30);
    savepoint = first.stopWithSavepoint(false, Files.createDirectories(savepoints.resolve("today")).toUri().toString(), SavepointFormatType.CANONICAL).get();
    beforeStop = new TreeMap<>(rows(SPLIT_SECOND - 30));
  }

  /** Restores today's savepoint into the changed job and returns what it scored after the update. */
  Map<Long, Window> update(RuntimeProperties props, String script, Consumer<ClickstreamJob.Pipeline> more) throws Exception {
    return update(props, script, more, lastWindowStart);
  }

  Map<Long, Window> update(RuntimeProperties props, String script, Consumer<ClickstreamJob.Pipeline> more, int lastWindowStart) throws Exception {
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    // What Managed Flink applies when an update does not repeat AllowNonRestoredState.
    restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
    JobClient changed = start(after, restore, props, script, more);
    Map<Long, Window> afterUpdate = rows(lastWindowStart);
    changed.cancel().get();
    return afterUpdate;
  }

  /** Nothing lost or counted twice: together, the windows before and after the update are the uninterrupted run's, count for count. */
  void nothingLostOrDoubled(Map<Long, Window> afterUpdate) {
    assertFalse(afterUpdate.isEmpty(), "the changed job scored windows");
    for (Long s : afterUpdate.keySet()) assertFalse(beforeStop.containsKey(s), "window " + s + " s scored twice, before and after the update");
    for (Map.Entry<Long, Window> e : uninterrupted.entrySet()) {
      Window w = beforeStop.containsKey(e.getKey()) ? beforeStop.get(e.getKey()) : afterUpdate.get(e.getKey());
      assertTrue(w != null, "window " + e.getKey() + " s was lost in the update; before: " + beforeStop.keySet() + ", after: " + afterUpdate.keySet());
      assertEquals(e.getValue().clicks(), w.clicks(), "clicks of window " + e.getKey() + " s");
      assertEquals(e.getValue().impressions(), w.impressions(), "impressions of window " + e.getKey() + " s");
    }
  }

  /** The forest carried over: every window after the update scores exactly as in the run that never stopped. */
  void forestKept(Map<Long, Window> afterUpdate) {
    for (Map.Entry<Long, Window> e : afterUpdate.entrySet())
      assertEquals(uninterrupted.get(e.getKey()).score(), e.getValue().score(), 0.0, "score of window " + e.getKey() + " s");
    assertTrue(afterUpdate.get(300L).score() > 3 || afterUpdate.get(310L).score() > 3, "the burst is scored high: " + afterUpdate);
  }

  /** The forest started again: sub.sample.size windows score 0 (its warm-up), then it scores, and catches the burst. */
  void forestRestarted(Map<Long, Window> afterUpdate) {
    List<Window> rows = new ArrayList<>(afterUpdate.values());
    for (int i = 0; i < SUB_SAMPLE; i++) assertEquals(0.0, rows.get(i).score(), 0.0, "warm-up window " + i + " after the update: " + afterUpdate);
    for (int i = SUB_SAMPLE; i < rows.size(); i++) assertTrue(rows.get(i).score() > 0, "window " + i + " after the update scores again: " + afterUpdate);
    assertTrue(afterUpdate.get(300L).anomaly() || afterUpdate.get(310L).anomaly(), "the burst after the warm-up is still an anomaly: " + afterUpdate);
  }

  @Test
  void aNewThresholdKeepsEverythingAndAppliesFromTheNextWindow() throws Exception {
    Map<Long, Window> afterUpdate = update(today("Detection.anomaly.threshold", "3.65"), LabSql.load(), p -> {});
    nothingLostOrDoubled(afterUpdate);
    forestKept(afterUpdate);
    for (Window w : afterUpdate.values()) if (w.score() <= 3.65) assertFalse(w.anomaly(), "no anomaly at or below the new threshold: " + w);
    assertTrue(uninterrupted.values().stream().anyMatch(w -> w.anomaly() && w.score() <= 3.65), "the old threshold alerted on a window the new one does not: " + uninterrupted);
  }

  @Test
  void aNewJarWithTheSameSqlKeepsEverything() throws Exception {
    // A new JAR: other DataStream operators around the same SQL (here the rejected records
    // consumed, and a second consumer of the anomalies). The first moves the id Flink would
    // generate for every SQL operator (it hashes each operator's place in the graph).
    Map<Long, Window> afterUpdate = update(today(), LabSql.load(), p -> {
      p.rejected.map(String::length, Types.INT).uid("new-jar-rejected").addSink(new DiscardingSink<>()).uid("new-jar-sink");
      p.anomalies.addSink(new DiscardingSink<>()).uid("new-jar-anomalies");
    });
    nothingLostOrDoubled(afterUpdate);
    forestKept(afterUpdate);
  }

  @Test
  void newForestParametersRestartTheForestAndKeepTheWindows() throws Exception {
    Map<Long, Window> afterUpdate = update(today("RandomCutForest.number.of.trees", "50"), LabSql.load(), p -> {});
    nothingLostOrDoubled(afterUpdate);
    forestRestarted(afterUpdate);
  }

  @Test
  void aNewWindowLengthKeepsThePositionAndLosesOnlyTheWindowOpenAtTheUpdate() throws Exception {
    // The documented cost (docs/detection.md): every window and the forest start again; the
    // position carries over, so the new windows count exactly the records read after the update,
    // and the 10-s window open at the update (140-150 s, all read before it) yields no row.
    Map<Long, Window> afterUpdate = update(today("Detection.window.seconds", "5"), LabSql.load(), p -> {}, 390);
    Map<Long, long[]> expected = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (KinesisRecord r : after) {
      long s = (r.arrivalMillis - LabTraffic.START.toEpochMilli()) / 5000 * 5;
      boolean click = "Click".equals(json.readTree(r.data).get("browseraction").asText());
      expected.computeIfAbsent(s, k -> new long[2])[click ? 0 : 1]++;
    }
    assertEquals(SPLIT_SECOND, afterUpdate.keySet().iterator().next(), "the first new window starts at the update: nothing read before it is counted again");
    assertFalse(afterUpdate.containsKey(140L) || beforeStop.containsKey(140L), "the window open at the update is lost");
    for (Map.Entry<Long, Window> e : afterUpdate.entrySet()) {
      long[] counts = expected.get(e.getKey());
      assertEquals(counts[0], e.getValue().clicks(), "clicks of the 5-s window at " + e.getKey() + " s");
      assertEquals(counts[1], e.getValue().impressions(), "impressions of the 5-s window at " + e.getKey() + " s");
    }
    List<Window> rows = new ArrayList<>(afterUpdate.values());
    for (int i = 0; i < SUB_SAMPLE; i++) assertEquals(0.0, rows.get(i).score(), 0.0, "warm-up window " + i + " after the update");
    assertTrue(rows.get(SUB_SAMPLE).score() > 0, "the new forest scores after its warm-up");
  }

  /** Restores today's savepoint into the job with one piece of today's SQL replaced. */
  Map<Long, Window> updateSql(String piece, String replacement) throws Exception {
    String today = LabSql.load();
    String changed = today.replace(piece, replacement);
    assertNotEquals(today, changed, "the SQL has the piece this test changes: " + piece);
    return update(today(), changed, p -> {});
  }

  @Test
  void aChangedQueryUpstreamOfTheForestRestartsItAndKeepsTheWindows() throws Exception {
    // The same rate written with another literal: a change in CTRSTREAM, before the forest.
    Map<Long, Window> afterUpdate = updateSql("CLICKCOUNT / IMPRESSIONCOUNT * 100.000 AS CTR", "CLICKCOUNT / IMPRESSIONCOUNT * 100.0 AS CTR");
    nothingLostOrDoubled(afterUpdate);
    forestRestarted(afterUpdate);
  }

  @Test
  void aChangedRuleAfterTheForestKeepsIt() throws Exception {
    // The rule alone changes (score only, no magnitude check): the forest's state carries over.
    Map<Long, Window> afterUpdate = updateSql("AND ABS(CTRPERCENT - CTR_MEAN) >= ${Detection.min.ctr.change} * CTR_MEAN AS IS_ANOMALY", "AS IS_ANOMALY");
    nothingLostOrDoubled(afterUpdate);
    forestKept(afterUpdate);
  }
}
