package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics the team's dashboard graphs (LabMetrics; components/dashboard.ts FLINK_METRICS), read
 * from the job on the MiniCluster through an in-memory metric reporter: the names, the group
 * Managed Flink forwards (kinesisanalytics, with no key/value group below it), and the values
 * against the rows the job put out for the same windows.
 */
class MetricsTest {
  /** Keeps the metrics of finished jobs, so that they are read after the finite replay ends. */
  static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
      .build());

  static final ConcurrentLinkedQueue<String> OUT = new ConcurrentLinkedQueue<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuntimeProperties EVERY_WINDOW = Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0");

  static final class Collect implements SinkFunction<String> {
    @Override
    public void invoke(String value, Context context) {
      OUT.add(value);
    }
  }

  /** Runs the job to the end of `source`; returns its id, its rows in OUT. */
  static JobID run(SourceFunction<KinesisRecord> source) throws Exception {
    OUT.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    ClickstreamJob.build(env, env.addSource(source), EVERY_WINDOW).anomalies.addSink(new Collect());
    return env.execute("metrics test").getJobID();
  }

  static List<JsonNode> rows() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String s : OUT) out.add(JSON.readTree(s));
    out.sort(Comparator.comparingLong(ClickstreamJobTest::second));
    return out;
  }

  /**
   * The metric `name` of job `job`: exactly one, in a group named kinesisanalytics directly under
   * an operator's group (same variables, so no key/value group in between or below).
   */
  static Metric metric(JobID job, String name) {
    Map<MetricGroup, Map<String, Metric>> all = REPORTER.getMetricsByGroup();
    List<MetricGroup> groups = new ArrayList<>();
    for (Map.Entry<MetricGroup, Map<String, Metric>> e : all.entrySet())
      if (inJob(job, e.getKey()) && e.getValue().containsKey(name)) groups.add(e.getKey());
    assertEquals(1, groups.size(), name + " is registered once in the job, found in " + groups.size() + " groups");
    MetricGroup group = groups.get(0);
    String[] scope = group.getScopeComponents();
    assertEquals(LabMetrics.GROUP, scope[scope.length - 1], name + "'s group is " + String.join(".", scope));
    String[] parentScope = Arrays.copyOf(scope, scope.length - 1);
    MetricGroup operator = all.keySet().stream().filter(g -> inJob(job, g) && Arrays.equals(parentScope, g.getScopeComponents())).findFirst().orElseThrow();
    assertInstanceOf(OperatorMetricGroup.class, operator, "kinesisanalytics sits directly under an operator's group");
    assertEquals(operator.getAllVariables(), group.getAllVariables(), "no user key/value group adds a CloudWatch dimension");
    return all.get(group).get(name);
  }

  /** Scopes name the job by its name only; its id is a variable. */
  static boolean inJob(JobID job, MetricGroup group) {
    return job.toString().equals(group.getAllVariables().get("<job_id>"));
  }

  static double gauge(JobID job, String name) {
    Object value = ((Gauge<?>) metric(job, name)).getValue();
    return ((Number) value).doubleValue();
  }

  @Test
  void theGaugesShowTheBurstWindow() throws Exception {
    List<KinesisRecord> records = LabTraffic.labScript(600, 80, 2020);
    long started = System.currentTimeMillis();
    JobID job = run(ReplayShard.backlog(records, 0).finite());
    long tookMillis = System.currentTimeMillis() - started;
    List<JsonNode> rows = rows();
    assertEquals(68, rows.size(), "one scored row per 10-s window");

    JsonNode topScore = rows.stream().max(Comparator.comparingDouble(r -> r.get("anomalyScore").asDouble())).orElseThrow();
    JsonNode topCtr = rows.stream().max(Comparator.comparingDouble(r -> r.get("ctrPercent").asDouble())).orElseThrow();
    long burstSecond = ClickstreamJobTest.second(topScore);
    assertTrue(burstSecond == 600 || burstSecond == 610, "the highest score is the burst's: " + topScore);
    assertTrue(ClickstreamJobTest.second(topCtr) == 600 || ClickstreamJobTest.second(topCtr) == 610, "the highest rate is the burst's: " + topCtr);

    // The replay took seconds, so the last minute holds every window: each gauge is the run's peak.
    assertEquals(topScore.get("anomalyScore").asDouble(), gauge(job, LabMetrics.ANOMALY_SCORE), 0.0);
    assertEquals(topCtr.get("ctrPercent").asDouble(), gauge(job, LabMetrics.CTR_PERCENT), 0.0);
    long maxClicks = rows.stream().mapToLong(r -> r.get("clicks").asLong()).max().orElseThrow();
    long maxImpressions = rows.stream().mapToLong(r -> r.get("impressions").asLong()).max().orElseThrow();
    assertEquals(maxClicks, gauge(job, LabMetrics.CLICKS), 0.0);
    assertEquals(maxImpressions, gauge(job, LabMetrics.IMPRESSIONS), 0.0);
    assertTrue(maxClicks >= 30, "the burst's window has the most clicks, the steady ones about 10: " + maxClicks);
    assertEquals(0, ((Counter) metric(job, LabMetrics.LATE_RECORDS)).getCount(), "the replay's watermark leaves no record late");
    System.out.printf("METRICS took=%d ms anomalyScore=%.4f (window %d s) ctrPercent=%.2f clicks=%d impressions=%d%n",
        tookMillis, gauge(job, LabMetrics.ANOMALY_SCORE), burstSecond, gauge(job, LabMetrics.CTR_PERCENT), maxClicks, maxImpressions);
  }

  /** A source of records and watermarks in a fixed order: what ShardClock never emits, a record behind the watermark. */
  static final class Scripted implements SourceFunction<KinesisRecord> {
    private static final long serialVersionUID = 1L;
    private final ArrayList<Object> script;

    /** @param script KinesisRecords (emitted with their arrival time as timestamp) and Longs (a watermark at that time; Flink's Watermark is not serializable) */
    Scripted(List<Object> script) {
      this.script = new ArrayList<>(script);
    }

    @Override
    public void run(SourceContext<KinesisRecord> ctx) {
      for (Object o : script) {
        if (o instanceof Long) ctx.emitWatermark(new Watermark((Long) o));
        else ctx.collectWithTimestamp((KinesisRecord) o, ((KinesisRecord) o).arrivalMillis);
      }
    }

    @Override
    public void cancel() {}
  }

  @Test
  void aLateRecordCountsInLateRecordsAndInNoWindow() throws Exception {
    long t0 = LabTraffic.START.toEpochMilli();
    List<KinesisRecord> first = new ArrayList<>();
    LabTraffic.crafted(first, "Click", 0, 3);
    LabTraffic.crafted(first, "Impression", 0, 2);
    List<KinesisRecord> second = new ArrayList<>();
    LabTraffic.crafted(second, "Click", 10, 1);
    LabTraffic.crafted(second, "Impression", 10, 4);
    List<Object> script = new ArrayList<>(first);
    script.sort(Comparator.comparingLong(o -> ((KinesisRecord) o).arrivalMillis));
    script.add(t0 + 15_000); // the window [0 s, 10 s) has fired
    script.add(new KinesisRecord(LabTraffic.kdg("Click"), t0 + 5_000)); // late: its window closed
    List<Object> rest = new ArrayList<>(second);
    rest.sort(Comparator.comparingLong(o -> ((KinesisRecord) o).arrivalMillis));
    script.addAll(rest);

    JobID job = run(new Scripted(script));
    Map<Long, JsonNode> bySecond = new HashMap<>();
    for (JsonNode row : rows()) bySecond.put(ClickstreamJobTest.second(row), row);
    assertEquals(3, bySecond.get(0L).get("clicks").asLong(), "the window did not count the late click");
    assertEquals(1, ((Counter) metric(job, LabMetrics.LATE_RECORDS)).getCount());
    // Peaks over windows 0 s (3 clicks, 2 impressions) and 10 s (1, 4); a counted late click would make 4.
    assertEquals(3, gauge(job, LabMetrics.CLICKS), 0.0);
    assertEquals(4, gauge(job, LabMetrics.IMPRESSIONS), 0.0);
    assertEquals(150.0, gauge(job, LabMetrics.CTR_PERCENT), 0.0);
  }

  @Test
  void aPeakHoldsTheMinutesHighestValueThenTheLatest() {
    AtomicLong now = new AtomicLong(1_000_000);
    LabMetrics.Peak peak = new LabMetrics.Peak(60_000, now::get);
    assertEquals(0.0, peak.getValue(), 0.0, "nothing scored yet");
    // A minute of the lab's windows, burst in the second and third: a gauge of the latest window,
    // read at the minute's end as CloudWatch does, would show 100; the peak shows the burst.
    double[] minute = {100, 400, 366.67, 100, 90.9, 100};
    for (double ctr : minute) {
      peak.record(ctr);
      now.addAndGet(10_000);
    }
    now.addAndGet(-1);
    assertEquals(400, peak.getValue(), 0.0);
    now.addAndGet(10_001); // 60 s after the 400: it leaves the span, the 366.67 is next
    assertEquals(366.67, peak.getValue(), 0.0);
    now.addAndGet(10_000);
    assertEquals(100, peak.getValue(), 0.0);
    now.addAndGet(600_000); // no window for ten minutes: the latest stays
    assertEquals(100, peak.getValue(), 0.0);
    peak.record(50);
    assertEquals(50, peak.getValue(), 0.0);
  }
}
