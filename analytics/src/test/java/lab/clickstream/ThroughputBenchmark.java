package lab.clickstream;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `npm run bench:flink`: events per second through the whole job (parse, watermarks, the lab's
 * SQL, RANDOM_CUT_FOREST, JSON) on the MiniCluster at parallelism 1. The traffic is a saturated
 * shard: 1,000 records per second of event time, clicks and impressions alternating. Prints the
 * figure against the target (50,000 events/s, 50 times one shard); asserts nothing about speed.
 * Not a *Test class, so `mvn test` leaves it out; the npm script names it.
 */
class ThroughputBenchmark {
  @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();
  static final int EVENTS = Integer.getInteger("bench.events", 2_000_000);

  static final class SaturatedShard implements SourceFunction<KinesisRecord> {
    private volatile boolean running = true;

    @Override
    public void run(SourceContext<KinesisRecord> ctx) {
      byte[] click = LabTraffic.kdg("Click");
      byte[] impression = LabTraffic.kdg("Impression");
      long start = LabTraffic.START.toEpochMilli();
      for (int i = 0; i < EVENTS && running; i++) ctx.collectWithTimestamp(new KinesisRecord(i % 2 == 0 ? click : impression, start + i), start + i);
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  @Test
  void eventsPerSecond() throws Exception {
    for (String run : new String[] {"warm-up", "measured"}) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      ClickstreamJob.Pipeline p = ClickstreamJob.build(env, env.addSource(new SaturatedShard()), Jobs.properties("Detection.anomaly.threshold", "-1", "Detection.min.ctr.change", "0"));
      long t0 = System.nanoTime();
      long rows = 0;
      try (CloseableIterator<String> it = p.anomalies.executeAndCollect()) {
        while (it.hasNext()) {
          it.next();
          rows++;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("BENCH %s: %,d events, %,d windows scored, %.2f s: %,.0f events/s (target >= 50,000: %.1fx)%n",
          run, EVENTS, rows, seconds, EVENTS / seconds, EVENTS / seconds / 50_000);
    }
  }
}
