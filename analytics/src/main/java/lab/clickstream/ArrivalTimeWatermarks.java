package lab.clickstream;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time is the Kinesis arrival time. The watermark trails the newest arrival by a small lag
 * (records of different shards interleave). When the stream goes quiet for longer than idleMillis,
 * event time keeps going with the wall clock from the last arrival, as KDA's ROWTIME did, so that
 * the last window before a pause still closes and is scored. A replay that never pauses is
 * therefore fully deterministic: only arrival times decide the windows.
 */
public class ArrivalTimeWatermarks implements WatermarkGenerator<KinesisRecord> {
  public static final long LAG_MILLIS = 1000;
  private final long idleMillis;
  private long maxArrival = Long.MIN_VALUE;
  private long lastWallClock;

  public ArrivalTimeWatermarks(long idleMillis) {
    this.idleMillis = idleMillis;
  }

  @Override
  public void onEvent(KinesisRecord record, long timestamp, WatermarkOutput output) {
    maxArrival = Math.max(maxArrival, timestamp);
    lastWallClock = System.currentTimeMillis();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // A subtask with no shard (parallelism above the shard count) must not hold event time back.
    if (maxArrival == Long.MIN_VALUE) {
      output.markIdle();
      return;
    }
    long quiet = System.currentTimeMillis() - lastWallClock;
    long eventTimeNow = quiet > idleMillis ? maxArrival + quiet : maxArrival;
    output.emitWatermark(new Watermark(eventTimeNow - LAG_MILLIS - 1));
  }
}
