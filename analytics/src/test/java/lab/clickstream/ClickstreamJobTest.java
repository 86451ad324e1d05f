package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lab's detection, run for real on Flink's embedded MiniCluster with the same SQL and function. */
class ClickstreamJobTest {
  @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs the pipeline over a finite replay; returns anomaly rows and rejected records. */
  static Result run(List<KinesisRecord> records, RuntimeProperties props) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    ClickstreamJob.Pipeline p = ClickstreamJob.build(env, env.addSource(ReplayShard.backlog(records, 0).finite()), props);
    DataStream<String> both = p.anomalies.map(s -> "A\t" + s, Types.STRING).union(p.rejected.map(s -> "R\t" + s, Types.STRING));
    Result r = new Result();
    try (CloseableIterator<String> it = both.executeAndCollect()) {
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("A\t")) r.rows.add(JSON.readTree(line.substring(2)));
        else r.rejected.add(line.substring(2));
      }
    }
    return r;
  }

  static final class Result {
    final List<JsonNode> rows = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
  }

  static long second(JsonNode row) {
    return (java.time.Instant.parse(row.get("windowStart").asText()).toEpochMilli() - LabTraffic.START.toEpochMilli()) / 1000;
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "jitter seed {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {7, 11, 2020})
  void detectsTheLabsBurstAndNothingElse(long seed) throws Exception {
    // Threshold -1: every scored window comes out, so that the steady ones can be checked too.
    Result r = run(LabTraffic.labScript(600, 80, seed), Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"));
    Map<Long, Double> scores = new TreeMap<>();
    for (JsonNode row : r.rows) scores.put(second(row), row.get("anomalyScore").asDouble());
    assertEquals(68, scores.size(), "one scored row per 10-s window of the 680 s");

    // The burst starts at 600 s: one of the two windows after it must score above 2.
    double burst = Math.max(scores.get(600L), scores.get(610L));
    assertTrue(burst > 2, "a window of the burst scores above 2, scores were " + scores.get(600L) + ", " + scores.get(610L));

    // Steady state after warm-up (the sample of 12 is full after two minutes). With the lab's
    // parameters a window of 9 clicks to 11 impressions can score just above 2 (measured: in 6 of
    // 20 seeds after 5 minutes, at most 2.42; README, "What the detection test shows"), so the
    // steady-state bound asserted is the one that holds for every seed tried: well under the burst.
    double steadyMax = scores.entrySet().stream().filter(e -> e.getKey() >= 120 && e.getKey() < 600).mapToDouble(Map.Entry::getValue).max().orElseThrow();
    assertTrue(steadyMax < 2.5 && steadyMax < burst - 1, "steady max " + steadyMax + " against burst " + burst);
    System.out.printf("DETECTION seed=%d steadyMax=%.4f window600=%.4f window610=%.4f%n", seed, steadyMax, scores.get(600L), scores.get(610L));
  }

  @Test
  void theDefaultThresholdSendsOnlyTheBurstAsJson() throws Exception {
    Result r = run(LabTraffic.labScript(600, 80, 2020), Jobs.properties());
    assertTrue(r.rows.size() >= 1, "at least one anomaly");
    for (JsonNode row : r.rows) {
      assertTrue(second(row) == 600 || second(row) == 610, "only burst windows, got " + row);
      assertTrue(row.get("anomalyScore").asDouble() > 2);
      assertEquals(List.of("ctrPercent", "anomalyScore", "scoreFraction", "ctrMean", "clicks", "impressions", "windowStart", "windowEnd", "anomaly"), fieldNames(row));
      assertTrue(row.get("anomaly").asBoolean(), "an anomaly row carries the SQL's verdict");
      assertEquals(row.get("anomalyScore").asDouble() / (Math.log(13) / Math.log(2)), row.get("scoreFraction").asDouble(), 1e-12, "the score as a share of log2(12 + 1)");
      assertEquals(row.get("clicks").asDouble() / row.get("impressions").asDouble() * 100, row.get("ctrPercent").asDouble(), 1e-9);
    }
  }

  static List<String> fieldNames(JsonNode row) {
    List<String> names = new ArrayList<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void computesTheClickThroughRateExactlyAndSkipsWindowsWithoutImpressions() throws Exception {
    List<KinesisRecord> records = new ArrayList<>();
    LabTraffic.crafted(records, "Click", 0, 7);
    LabTraffic.crafted(records, "Impression", 0, 3);
    LabTraffic.crafted(records, "Click", 10, 5); // clicks, no impressions
    LabTraffic.crafted(records, "Impression", 20, 4); // impressions, no clicks
    LabTraffic.crafted(records, "Click", 30, 1);
    LabTraffic.crafted(records, "Impression", 30, 8);
    records.sort(java.util.Comparator.comparingLong(k -> k.arrivalMillis));
    Result r = run(records, Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"));
    Map<Long, JsonNode> bySecond = r.rows.stream().collect(Collectors.toMap(ClickstreamJobTest::second, x -> x));
    assertEquals(List.of(0L, 30L), new ArrayList<>(new TreeMap<>(bySecond).keySet()));
    assertEquals(7.0 / 3.0 * 100.0, bySecond.get(0L).get("ctrPercent").asDouble(), 0.0);
    assertEquals(12.5, bySecond.get(30L).get("ctrPercent").asDouble(), 0.0);
    assertEquals("2026-11-28T10:00:00Z", bySecond.get(0L).get("windowStart").asText());
    assertEquals("2026-11-28T10:00:10Z", bySecond.get(0L).get("windowEnd").asText());
  }

  @Test
  void countsAndSkipsBadRecordsWithoutFailing() throws Exception {
    List<KinesisRecord> records = new ArrayList<>();
    LabTraffic.crafted(records, "Click", 0, 4);
    LabTraffic.crafted(records, "Impression", 0, 2);
    long t = LabTraffic.START.toEpochMilli() + 5_000;
    records.add(new KinesisRecord("not json at all".getBytes(), t));
    records.add(new KinesisRecord("{\"site\":\"x\"}".getBytes(), t));
    records.add(new KinesisRecord("{\"browseraction\":\"Scroll\"}".getBytes(), t));
    records.add(new KinesisRecord(("{\"browseraction\":\"Click\",\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(), t));
    records.add(new KinesisRecord("{\"browseraction\":42}".getBytes(), t));
    records.add(new KinesisRecord(LabTraffic.kdg("DiscoveryKinesisTest"), t));
    records.sort(java.util.Comparator.comparingLong(k -> k.arrivalMillis));
    Result r = run(records, Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"));
    List<String> reasons = r.rejected.stream().map(s -> s.split("\t")[0]).sorted().collect(Collectors.toList());
    assertEquals(List.of("missing-browseraction", "missing-browseraction", "not-json", "oversized", "unknown-browseraction"), reasons);
    assertEquals(1, r.rows.size());
    assertEquals(200.0, r.rows.get(0).get("ctrPercent").asDouble(), 0.0, "bad records did not count as clicks");
  }

  @Test
  void shortWindowsComeFromTheRuntimeProperty() throws Exception {
    List<KinesisRecord> records = new ArrayList<>();
    LabTraffic.crafted(records, "Click", 0, 10);
    LabTraffic.crafted(records, "Impression", 0, 10);
    records.sort(java.util.Comparator.comparingLong(k -> k.arrivalMillis));
    Result r = run(records, Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0", "Detection.window.seconds", "2"));
    assertEquals(5, r.rows.size(), "ten seconds of traffic in 2-s windows");
    for (JsonNode row : r.rows) assertEquals(100.0, row.get("ctrPercent").asDouble(), 0.0);
  }

  /**
   * The magnitude check, on the job: KDG-timer traffic (each window sends at its own phase, now and
   * then a second late) makes the forest score a 9- or 11-click window near its ceiling. Without the
   * check such a window alerts; with the contract's defaults only the burst does, as the model says.
   */
  @Test
  void aSmallChangeOfRateScoredHighIsNoAnomaly() throws Exception {
    Scenarios.Scenario s = null;
    Evaluation.Replay replay = null;
    for (long seed = 1; s == null; seed++) {
      Scenarios.Lab o = new Scenarios.Lab();
      o.batched = true;
      Scenarios.Scenario candidate = Scenarios.lab("KDG timers", seed, o);
      Evaluation.Replay r = new Evaluation.Replay(candidate, 10_000);
      if (Evaluation.of(r, Evaluation.THRESHOLD, 0, 10_000).falseAlarms > 0) {
        s = candidate;
        replay = r;
      }
    }
    List<Long> bare = new ArrayList<>();
    for (JsonNode row : run(s.records, Jobs.properties("Detection.min.ctr.change", "0")).rows) bare.add(second(row));
    List<Long> checked = new ArrayList<>();
    for (JsonNode row : run(s.records, Jobs.properties()).rows) checked.add(second(row));
    List<Long> expected = new ArrayList<>();
    for (DetectionModel.Row row : replay.run.rows)
      if (DetectionModel.anomaly(row, Evaluation.THRESHOLD, Evaluation.MIN_CHANGE)) expected.add((row.windowStart - LabTraffic.START.toEpochMilli()) / 1000);
    assertTrue(bare.stream().anyMatch(t -> t < 590), "without the check a steady window alerts: " + bare);
    assertEquals(expected, checked);
    assertTrue(checked.stream().allMatch(t -> t >= 600 && t < 630) && !checked.isEmpty(), "only the burst alerts: " + checked);
  }
}
