package lab.clickstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event time of one source subtask, from what its shards' reads have shown. Event time is the
 * Kinesis arrival time (ApproximateArrivalTimestamp, epoch ms), so a shard's event time may move
 * on for two reasons only:
 *
 * <ul>
 *   <li>a record was read: records of one shard are read in sequence order, and arrival times in
 *       that order trail each other by at most {@link #ORDER_SLACK_MILLIS};
 *   <li>a read reached the tip of the shard (GetRecords answered MillisBehindLatest 0): every record
 *       that arrived before that read was sent is now read, save for Kinesis's put-to-get delay and
 *       the skew between Kinesis's clock and ours ({@link #TIP_MARGIN_MILLIS}).
 * </ul>
 *
 * Time spent not reading (a backlog after a start or restart, a stall, throttling, a GC pause, a
 * slow machine) never moves event time: the watermark is a function of what was read, not of the
 * wall clock, so the same records give the same windows however they are batched.
 *
 * A shard that has not been read yet holds the subtask back; a finished (closed) shard does not.
 * Thread-safe: shard consumers report from their own threads.
 */
public final class ShardClock {
  /** Arrival times along one shard's sequence may step back this much (they are "approximate"). */
  public static final long ORDER_SLACK_MILLIS = 1000;
  /**
   * Kinesis's put-to-get delay is typically under 1 s (Kinesis Data Streams FAQ); one more second
   * covers the skew between Kinesis's clock, which stamps arrivals, and this machine's.
   */
  public static final long TIP_MARGIN_MILLIS = 2000;

  private static final class Shard {
    long maxArrival = Long.MIN_VALUE;
    long tipReadAt = Long.MIN_VALUE;
    boolean finished;
  }

  private final Map<String, Shard> shards = new ConcurrentHashMap<>();

  /** A shard this subtask reads from now on; until its first read it holds event time back. */
  public void register(String shardId) {
    shards.putIfAbsent(shardId, new Shard());
  }

  /**
   * One read of a shard, after its records were emitted.
   *
   * @param maxArrival newest arrival time among the records read (Long.MIN_VALUE if none)
   * @param millisBehindLatest as GetRecords returned it (null if unknown: treated as behind)
   * @param sentAt wall-clock ms at which the read was sent (before the request left)
   */
  public void onRead(String shardId, long maxArrival, Long millisBehindLatest, long sentAt) {
    Shard s = shards.computeIfAbsent(shardId, k -> new Shard());
    synchronized (s) {
      s.maxArrival = Math.max(s.maxArrival, maxArrival);
      if (millisBehindLatest != null && millisBehindLatest == 0) s.tipReadAt = Math.max(s.tipReadAt, sentAt);
    }
  }

  /** The shard was read to its end (closed by resharding): it no longer holds event time back. */
  public void finish(String shardId) {
    Shard s = shards.computeIfAbsent(shardId, k -> new Shard());
    synchronized (s) {
      s.finished = true;
    }
  }

  /** Event time a shard has reached: every record it still has arrived after this. */
  static long shardTime(long maxArrival, long tipReadAt) {
    long fromRecords = maxArrival == Long.MIN_VALUE ? Long.MIN_VALUE : maxArrival - ORDER_SLACK_MILLIS;
    long fromTip = tipReadAt == Long.MIN_VALUE ? Long.MIN_VALUE : tipReadAt - TIP_MARGIN_MILLIS;
    return Math.max(fromRecords, fromTip);
  }

  /**
   * The watermark this subtask may emit: the slowest unfinished shard's time, minus 1 ms (a
   * watermark t says no record at t or before will follow). Long.MIN_VALUE while some shard has
   * not been read, or when the subtask has no unfinished shard (the connector then marks it idle).
   */
  public long watermark() {
    long min = Long.MAX_VALUE;
    for (Shard s : shards.values()) {
      synchronized (s) {
        if (s.finished) continue;
        min = Math.min(min, shardTime(s.maxArrival, s.tipReadAt));
      }
    }
    return min == Long.MAX_VALUE || min == Long.MIN_VALUE ? Long.MIN_VALUE : min - 1;
  }
}
