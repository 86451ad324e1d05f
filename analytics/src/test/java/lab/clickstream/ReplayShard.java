package lab.clickstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * One Kinesis shard and the poller that reads it, as the job's source does (KinesisIO): every
 * `pollMillis` a read returns up to `maxPerRead` of the records that have arrived, in order, with
 * MillisBehindLatest 0 when it reaches the newest one; after each read the source emits what
 * {@link ShardClock} allows. What a real shard adds is time, so this one is driven by the wall clock:
 *
 * <ul>
 *   <li>live: the records' arrival times are moved to "now" (from `leadMillis` after the source
 *       starts, by whole 10-s periods so each record keeps its place in its window), and a record can be read once it has arrived;
 *   <li>backlog: every record has arrived before the source starts (a restart, or a job started
 *       after the traffic), and the first read comes `firstReadDelayMillis` after the start;
 *   <li>a stall stops reading for `stallMillis` from `stallAfterMillis` after the first arrival
 *       (live) or the start (backlog) while records keep arriving (throttling, a GC pause, backpressure).
 * </ul>
 *
 * Unless finite, after the last record the source keeps polling the tip until cancelled, as a Kinesis source
 * does, so the last windows close only through tip reads. `EMITTED` counts records emitted.
 */
final class ReplayShard implements SourceFunction<KinesisRecord> {
  static final AtomicInteger EMITTED = new AtomicInteger();
  private static final long serialVersionUID = 1L;

  private final List<KinesisRecord> records;
  private final boolean live;
  long pollMillis = 200;
  int maxPerRead = 10_000;
  long leadMillis = 500;
  long firstReadDelayMillis = 0;
  long stallAfterMillis = -1;
  long stallMillis = 0;
  boolean finite;
  boolean neverAtTip;
  private volatile boolean running = true;

  private ReplayShard(List<KinesisRecord> records, boolean live) {
    this.records = records;
    this.live = live;
  }

  static ReplayShard live(List<KinesisRecord> records) {
    return new ReplayShard(records, true);
  }

  static ReplayShard backlog(List<KinesisRecord> records, long firstReadDelayMillis) {
    ReplayShard s = new ReplayShard(records, false);
    s.firstReadDelayMillis = firstReadDelayMillis;
    return s;
  }

  /** The first read comes this long after the first arrival (live) or the source's start (backlog). */
  ReplayShard firstReadAfter(long millis) {
    firstReadDelayMillis = millis;
    return this;
  }

  ReplayShard stall(long afterMillis, long millis) {
    stallAfterMillis = afterMillis;
    stallMillis = millis;
    return this;
  }

  /** Ends once every record is read (Flink then closes every window): for collect()-style tests. */
  ReplayShard finite() {
    finite = true;
    return this;
  }

  /**
   * Every read reports the reader behind the tip, so event time follows the records alone: a job
   * stopped (with a savepoint) before it caught up, whose records after the restart are the ones
   * it had not read yet.
   */
  ReplayShard neverAtTip() {
    neverAtTip = true;
    return this;
  }

  ReplayShard batches(int maxPerRead, long pollMillis) {
    this.maxPerRead = maxPerRead;
    this.pollMillis = pollMillis;
    return this;
  }

  /**
   * The records moved to arrive from `notBefore` on, by a whole number of 10-s periods, so that
   * every record falls in the same place of its window (for windows of 1, 2, 5 or 10 s).
   */
  static List<KinesisRecord> movedTo(List<KinesisRecord> records, long notBefore) {
    long gap = notBefore - records.get(0).arrivalMillis;
    long shift = Math.floorDiv(gap + 9_999, 10_000) * 10_000;
    List<KinesisRecord> out = new ArrayList<>();
    for (KinesisRecord r : records) out.add(new KinesisRecord(r.data, r.arrivalMillis + shift));
    return out;
  }

  @Override
  public void run(SourceContext<KinesisRecord> ctx) throws Exception {
    long start = System.currentTimeMillis();
    List<KinesisRecord> shard = live ? movedTo(records, start + leadMillis) : records;
    // Live, delays count from the first arrival (the traffic's start); backlog, from the source's.
    long origin = live ? shard.get(0).arrivalMillis : start;
    ShardClock clock = new ShardClock();
    clock.register("replay");
    long emittedWatermark = Long.MIN_VALUE;
    int next = 0;
    Thread.sleep(Math.max(0, origin + firstReadDelayMillis - System.currentTimeMillis()));
    while (running) {
      long sentAt = System.currentTimeMillis();
      long sinceOrigin = sentAt - origin;
      if (stallAfterMillis >= 0 && sinceOrigin >= stallAfterMillis && sinceOrigin < stallAfterMillis + stallMillis) {
        Thread.sleep(stallAfterMillis + stallMillis - sinceOrigin);
        continue;
      }
      int arrived = next;
      while (arrived < shard.size() && shard.get(arrived).arrivalMillis <= sentAt) arrived++;
      int end = Math.min(arrived, next + maxPerRead);
      long maxArrival = Long.MIN_VALUE;
      synchronized (ctx.getCheckpointLock()) {
        for (int i = next; i < end; i++) {
          KinesisRecord r = shard.get(i);
          ctx.collectWithTimestamp(r, r.arrivalMillis);
          maxArrival = Math.max(maxArrival, r.arrivalMillis);
        }
      }
      EMITTED.addAndGet(end - next);
      long behind = neverAtTip ? 1 : end < arrived ? Math.max(1, shard.get(arrived - 1).arrivalMillis - shard.get(end - 1).arrivalMillis) : 0;
      next = end;
      clock.onRead("replay", maxArrival, behind, sentAt);
      long watermark = clock.watermark();
      if (watermark > emittedWatermark) {
        synchronized (ctx.getCheckpointLock()) {
          ctx.emitWatermark(new Watermark(watermark));
        }
        emittedWatermark = watermark;
      }
      if (finite && next == shard.size()) return;
      Thread.sleep(pollMillis);
    }
  }

  @Override
  public void cancel() {
    running = false;
  }
}
