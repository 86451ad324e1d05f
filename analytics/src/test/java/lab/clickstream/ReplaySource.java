package lab.clickstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Replays records like a live stream: emits them, then stays open (as a Kinesis source does)
 * until the job is stopped. `EMITTED` lets a test wait until everything is in.
 */
final class ReplaySource implements SourceFunction<KinesisRecord> {
  static final AtomicInteger EMITTED = new AtomicInteger();
  private final List<KinesisRecord> records;
  private volatile boolean running = true;

  ReplaySource(List<KinesisRecord> records) {
    this.records = records;
  }

  @Override
  public void run(SourceContext<KinesisRecord> ctx) throws Exception {
    for (KinesisRecord r : records) {
      synchronized (ctx.getCheckpointLock()) {
        ctx.collect(r);
      }
      EMITTED.incrementAndGet();
    }
    while (running) Thread.sleep(20);
  }

  @Override
  public void cancel() {
    running = false;
  }
}
