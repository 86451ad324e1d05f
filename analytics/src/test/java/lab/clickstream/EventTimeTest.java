package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event time that loses nothing: the job on the MiniCluster, fed by a shard that is read late
 * (a backlog after a start or restart), that stops being read for a while (a stall), that is read
 * in small batches, and read while the CPU is busy. Each run must give exactly the rows of the
 * detection model with every record counted: same input, same rows, however delivered.
 */
class EventTimeTest {
  @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();
  static final ConcurrentLinkedQueue<String> OUT = new ConcurrentLinkedQueue<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  static final class Collect implements SinkFunction<String> {
    @Override
    public void invoke(String value, Context context) {
      OUT.add(value);
    }
  }

  /** Runs the job over `shard` (never ending, as Kinesis) until `rows` rows are out or `waitMillis` passed. */
  static List<String> run(ReplayShard shard, RuntimeProperties props, int rows, long waitMillis) throws Exception {
    OUT.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    ClickstreamJob.build(env, env.addSource(shard), props).anomalies.addSink(new Collect());
    JobClient job = env.executeAsync("event time test");
    long deadline = System.currentTimeMillis() + waitMillis;
    while (OUT.size() < rows && System.currentTimeMillis() < deadline) Thread.sleep(100);
    Thread.sleep(500); // a row too many would show here
    job.cancel().get();
    List<String> out = new ArrayList<>();
    for (String json : OUT) out.add(signature(JSON.readTree(json)));
    return out;
  }

  static String signature(JsonNode row) {
    long start = java.time.Instant.parse(row.get("windowStart").asText()).toEpochMilli();
    return String.format("%d:%d/%d=%.2f@%.4f", start, row.get("clicks").asLong(), row.get("impressions").asLong(), row.get("ctrPercent").asDouble(), row.get("anomalyScore").asDouble());
  }

  /** The rows with every record counted, from the model the benchmark runs: these cases are what prove it equal to the job. */
  static List<String> expected(List<KinesisRecord> records, long windowMillis) {
    DetectionModel model = new DetectionModel();
    model.windowMillis = windowMillis;
    DetectionModel.Result r = model.run(records, new DetectionModel.Reads());
    assertEquals(0, r.lateRecords);
    List<String> out = new ArrayList<>();
    for (DetectionModel.Row row : r.rows) out.add(row.toString());
    return out;
  }

  /** 1-s windows: clicks and impressions at 10/s each with ±15 ms jitter (the lab, 10x faster), for `seconds`. */
  static List<KinesisRecord> fastLab(int seconds, long seed) {
    Random random = new Random(seed);
    List<KinesisRecord> out = new ArrayList<>();
    long start = LabTraffic.START.toEpochMilli();
    for (String action : new String[] {"Impression", "Click"})
      for (int i = 0; i < seconds * 10; i++) out.add(new KinesisRecord(LabTraffic.kdg(action), start + i * 100L + Math.round((random.nextDouble() * 2 - 1) * 15)));
    out.sort(java.util.Comparator.comparingLong(r -> r.arrivalMillis));
    return out;
  }

  static final RuntimeProperties ONE_SECOND = Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0", "Detection.window.seconds", "1");

  @Test
  void aBacklogReadAfterTheStartLosesNoWindow() throws Exception {
    List<KinesisRecord> records = LabTraffic.labScript(600, 80, 2020);
    List<String> expected = expected(records, 10_000);
    assertEquals(68, expected.size());
    List<String> rows = run(ReplayShard.backlog(records, 1000), Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"), 68, 60_000);
    assertEquals(expected, rows);
  }

  @Test
  void aBacklogReadInSmallBatchesGivesTheSameRows() throws Exception {
    List<KinesisRecord> records = LabTraffic.labScript(300, 80, 7);
    List<String> expected = expected(records, 10_000);
    List<String> rows = run(ReplayShard.backlog(records, 1000).batches(7, 5), Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"), expected.size(), 60_000);
    assertEquals(expected, rows);
  }

  /** A row without its window's time: the live shard moves arrivals to the run's clock. */
  static List<String> shapes(List<String> rows) {
    List<String> out = new ArrayList<>();
    for (String r : rows) out.add(r.substring(r.indexOf(':') + 1));
    return out;
  }

  @Test
  void aStallLongerThanAWindowLosesNothing() throws Exception {
    List<KinesisRecord> records = fastLab(20, 11);
    List<String> rows = run(ReplayShard.live(records).stall(6_000, 7_000), ONE_SECOND, expected(records, 1000).size(), 60_000);
    assertEquals(shapes(expected(records, 1000)), shapes(rows));
  }

  /**
   * A busy machine: two threads spin on the cores, the job's source starts reading 3 s after the
   * traffic started (as a JVM that is slow to start does) and then reads only 3 records a time.
   */
  @Test
  void aBusyMachineAndASlowReaderGiveTheSameRows() throws Exception {
    List<KinesisRecord> records = fastLab(20, 2020);
    List<Thread> hogs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread hog = new Thread(() -> {
        long x = 0;
        while (!Thread.currentThread().isInterrupted()) x += System.nanoTime() % 7;
        if (x == 42) System.out.print("");
      });
      hog.setDaemon(true);
      hog.start();
      hogs.add(hog);
    }
    try {
      List<String> rows = run(ReplayShard.live(records).firstReadAfter(3_000).batches(3, 150), ONE_SECOND, expected(records, 1000).size(), 90_000);
      assertEquals(shapes(expected(records, 1000)), shapes(rows));
    } finally {
      for (Thread hog : hogs) hog.interrupt();
    }
  }
}
