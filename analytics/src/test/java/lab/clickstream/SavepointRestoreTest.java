package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint mid-stream, restart from it, and the forest carries on: the windows scored
 * after the restart score exactly as in a run that never stopped.
 */
class SavepointRestoreTest {
  @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();
  static final ConcurrentLinkedQueue<String> OUT = new ConcurrentLinkedQueue<>();

  static final class Collect implements SinkFunction<String> {
    @Override
    public void invoke(String value, Context context) {
      OUT.add(value);
    }
  }

  /** Starts the job over `records` with an open-ended source; returns once all are emitted. */
  static JobClient start(List<KinesisRecord> records, Configuration conf) throws Exception {
    ReplayShard.EMITTED.set(0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    // The reader never reaches the tip: event time follows the replayed arrivals alone. (A tip read
    // would move it to today, past the records of the second half, which in a real restart arrive
    // after the stop; the window operators keep their watermark in the savepoint.)
    ClickstreamJob.Pipeline p = ClickstreamJob.build(env, env.addSource(ReplayShard.backlog(records, 0).neverAtTip()).uid("replay"), Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"));
    p.anomalies.addSink(new Collect()).uid("collect");
    JobClient job = env.executeAsync("savepoint test");
    while (ReplayShard.EMITTED.get() < records.size()) Thread.sleep(20);
    return job;
  }

  static Map<Long, Double> scores(int minimumRows) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.currentTimeMillis() + 60_000;
    while (OUT.size() < minimumRows && System.currentTimeMillis() < deadline) Thread.sleep(50);
    Map<Long, Double> out = new TreeMap<>();
    for (String row : OUT) {
      var node = json.readTree(row);
      out.put(ClickstreamJobTest.second(node), node.get("anomalyScore").asDouble());
    }
    return out;
  }

  @Test
  void aRestoredJobScoresTheNextWindowsExactlyAsAnUninterruptedOne(@TempDir Path savepoints) throws Exception {
    List<KinesisRecord> all = LabTraffic.labScript(300, 80, 11);
    long split = LabTraffic.START.toEpochMilli() + 300_000; // the burst starts here
    List<KinesisRecord> before = new ArrayList<>();
    List<KinesisRecord> after = new ArrayList<>();
    for (KinesisRecord r : all) (r.arrivalMillis < split ? before : after).add(r);

    OUT.clear();
    JobClient uninterrupted = start(all, new Configuration());
    Map<Long, Double> expected = scores(37); // 38 windows; the last stays open
    uninterrupted.cancel().get();

    OUT.clear();
    JobClient first = start(before, new Configuration());
    scores(28);
    String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
    Map<Long, Double> beforeStop = new TreeMap<>(scores(0));

    OUT.clear();
    Configuration restore = new Configuration();
    restore.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
    JobClient second = start(after, restore);
    Map<Long, Double> afterRestart = scores(7); // 300-370 s; the last window stays open, as on a shard with no more traffic
    second.cancel().get();

    assertFalse(afterRestart.isEmpty(), "windows were scored after the restart");
    assertTrue(afterRestart.keySet().stream().allMatch(s -> !beforeStop.containsKey(s)), "no window scored twice");
    for (Map.Entry<Long, Double> e : afterRestart.entrySet())
      assertEquals(expected.get(e.getKey()), e.getValue(), 0.0, "window at " + e.getKey() + " s");
    assertTrue(afterRestart.get(300L) > 2 || afterRestart.get(310L) > 2, "the burst right after the restart is still detected: " + afterRestart);
    System.out.println("RESTORE before=" + beforeStop.keySet() + " after=" + afterRestart);
  }
}
