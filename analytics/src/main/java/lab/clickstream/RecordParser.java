package lab.clickstream;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * KDG JSON to ClickEvent. Input is never trusted and never fails the job: a record that is not
 * JSON, lacks browseraction, names an action the lab does not know, or is oversized is counted
 * (metric rejectedRecords, and one counter per reason) and sent to a side output, then skipped.
 * The KDG's schema-discovery records are valid but carry no click or impression, so they are
 * dropped without counting as bad.
 *
 * <p>A record whose window has already closed (its event time is at or behind the end of the window
 * the watermark has passed) cannot be counted any more: the window operators would drop it
 * without a word. It is counted here instead (metric lateRecords) and logged with its arrival time
 * and the watermark, then passed on. The source's watermark (ShardClock) is built so that this does
 * not happen; the counter is what proves it in a run.
 */
public class RecordParser extends ProcessFunction<KinesisRecord, ClickEvent> {
  /** Far above a KDG record (about 60 bytes); a record this big is not the lab's. */
  public static final int MAX_RECORD_BYTES = 4096;

  public static final OutputTag<String> REJECTED = new OutputTag<String>("rejected") {};
  private static final Set<String> COUNTED = Set.of("Click", "Impression");
  private static final String DISCOVERY = "DiscoveryKinesisTest";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordParser.class);
  private final long windowMillis;
  private transient ObjectMapper json;
  private transient Counter rejected;
  private transient Counter late;

  /** @param windowMillis the tumbling windows' length, to tell a late record from a merely old one */
  public RecordParser(long windowMillis) {
    if (windowMillis <= 0) throw new IllegalArgumentException("windowMillis must be above 0, not " + windowMillis);
    this.windowMillis = windowMillis;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    json = new ObjectMapper();
    rejected = getRuntimeContext().getMetricGroup().counter("rejectedRecords");
    late = getRuntimeContext().getMetricGroup().counter("lateRecords");
  }

  /** True when the window of `timestamp` has already fired at `watermark`. */
  static boolean windowClosed(long timestamp, long watermark, long windowMillis) {
    long windowEnd = timestamp - Math.floorMod(timestamp, windowMillis) + windowMillis;
    return windowEnd - 1 <= watermark;
  }

  @Override
  public void processElement(KinesisRecord record, Context ctx, Collector<ClickEvent> out) {
    long watermark = ctx.timerService().currentWatermark();
    if (windowClosed(record.arrivalMillis, watermark, windowMillis)) {
      late.inc();
      LOG.warn("late record: arrived at {} ms, its {}-ms window closed at watermark {} ms; it is not counted in any window (lateRecords = {})",
          record.arrivalMillis, windowMillis, watermark, late.getCount());
    }
    String reason = null;
    String action = null;
    if (record.data == null || record.data.length > MAX_RECORD_BYTES) {
      reason = "oversized";
    } else {
      try {
        JsonNode node = json.readTree(record.data);
        JsonNode a = node == null ? null : node.get("browseraction");
        if (a == null || !a.isTextual()) reason = "missing-browseraction";
        else action = a.asText();
      } catch (Exception e) {
        reason = "not-json";
      }
      if (reason == null && !COUNTED.contains(action) && !DISCOVERY.equals(action)) reason = "unknown-browseraction";
    }
    if (reason != null) {
      rejected.inc();
      getRuntimeContext().getMetricGroup().addGroup("rejected").counter(reason).inc();
      String sample = record.data == null ? "" : new String(record.data, 0, Math.min(record.data.length, 200), StandardCharsets.UTF_8);
      ctx.output(REJECTED, reason + "\t" + sample);
      return;
    }
    if (COUNTED.contains(action)) out.collect(new ClickEvent(action));
  }
}
