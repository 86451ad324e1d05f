package lab.clickstream;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
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
  private transient LabMetrics.Peak clicks;
  private transient LabMetrics.Peak impressions;
  /** Window start (ms) → {clicks, impressions} of the windows the watermark has not passed yet. */
  private transient TreeMap<Long, long[]> openWindows;

  /** @param windowMillis the tumbling windows' length, to tell a late record from a merely old one */
  public RecordParser(long windowMillis) {
    if (windowMillis <= 0) throw new IllegalArgumentException("windowMillis must be above 0, not " + windowMillis);
    this.windowMillis = windowMillis;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    json = new ObjectMapper();
    rejected = getRuntimeContext().getMetricGroup().counter("rejectedRecords");
    late = LabMetrics.group(getRuntimeContext().getMetricGroup()).counter(LabMetrics.LATE_RECORDS);
    clicks = LabMetrics.peak(getRuntimeContext().getMetricGroup(), LabMetrics.CLICKS);
    impressions = LabMetrics.peak(getRuntimeContext().getMetricGroup(), LabMetrics.IMPRESSIONS);
    openWindows = new TreeMap<>();
  }

  /** True when the window of `timestamp` has already fired at `watermark`. */
  static boolean windowClosed(long timestamp, long watermark, long windowMillis) {
    long windowEnd = timestamp - Math.floorMod(timestamp, windowMillis) + windowMillis;
    return windowEnd - 1 <= watermark;
  }

  @Override
  public void processElement(KinesisRecord record, Context ctx, Collector<ClickEvent> out) {
    long watermark = ctx.timerService().currentWatermark();
    boolean isLate = windowClosed(record.arrivalMillis, watermark, windowMillis);
    if (isLate) {
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
    if (COUNTED.contains(action)) {
      if (!isLate) {
        long windowStart = record.arrivalMillis - Math.floorMod(record.arrivalMillis, windowMillis);
        openWindows.computeIfAbsent(windowStart, w -> new long[2])["Click".equals(action) ? 0 : 1]++;
      }
      out.collect(new ClickEvent(action));
    }
  }

  /** Records in the gauges the counts of every window that `watermark` has closed and that had both clicks and impressions. */
  void onWatermark(long watermark) {
    for (Iterator<Map.Entry<Long, long[]>> it = openWindows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, long[]> w = it.next();
      if (!windowClosed(w.getKey(), watermark, windowMillis)) break;
      long[] counts = w.getValue();
      if (counts[0] > 0 && counts[1] > 0) {
        clicks.record(counts[0]);
        impressions.record(counts[1]);
      }
      it.remove();
    }
  }

  /**
   * The operator the job runs RecordParser in: Flink's ProcessOperator (what DataStream.process
   * builds, with no state of its own, so a savepoint taken with either restores into the other),
   * which also hands each watermark to the parser once it has passed it on.
   */
  public static final class Operator extends ProcessOperator<KinesisRecord, ClickEvent> {
    private static final long serialVersionUID = 1L;

    /** @param windowMillis as for {@link RecordParser#RecordParser(long)} */
    public Operator(long windowMillis) {
      super(new RecordParser(windowMillis));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
      super.processWatermark(mark);
      ((RecordParser) userFunction).onWatermark(mark.getTimestamp());
    }
  }
}
