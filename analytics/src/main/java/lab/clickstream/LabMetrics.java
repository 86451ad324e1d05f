package lab.clickstream;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The job's own metrics that the team's CloudWatch dashboard graphs (components/dashboard.ts,
 * FLINK_METRICS; docs/observability.md): the names, the group they live in, and the gauge that
 * holds a minute's peak.
 *
 * <p>Managed Service for Apache Flink forwards to CloudWatch (namespace AWS/KinesisAnalytics) the
 * Flink metrics registered under the user group {@code kinesisanalytics}; a group added as key and
 * value becomes one more CloudWatch dimension. At metrics level APPLICATION the only dimension is
 * then {@code Application}, which is what the dashboard reads, so every metric here is registered
 * directly under that group and nowhere deeper ("Use custom metrics with Amazon Managed Service for
 * Apache Flink", https://docs.aws.amazon.com/managed-flink/latest/java/monitoring-metrics-custom.html;
 * the page spells the group KinesisAnalytics, AWS's samples use lower case).
 */
public final class LabMetrics {
  /** The user metric group Managed Flink forwards to CloudWatch. */
  public static final String GROUP = "kinesisanalytics";
  /** Gauge: the most clicks of a scored window (one with clicks and impressions) in the last PEAK_MILLIS. */
  public static final String CLICKS = "clicks";
  /** Gauge: the most impressions of a scored window in the last PEAK_MILLIS. */
  public static final String IMPRESSIONS = "impressions";
  /** Gauge: the highest clicks / impressions * 100 of the windows scored in the last PEAK_MILLIS. */
  public static final String CTR_PERCENT = "ctrPercent";
  /** Gauge: the highest RANDOM_CUT_FOREST score of the windows scored in the last PEAK_MILLIS. */
  public static final String ANOMALY_SCORE = "anomalyScore";
  /** Counter: records that arrived after their window had closed (no window counts them). */
  public static final String LATE_RECORDS = "lateRecords";

  /**
   * How far back a gauge looks, in milliseconds of wall-clock time. Managed Flink reports a gauge to
   * CloudWatch once a minute, and the lab's windows last 10 s: a gauge of the latest window would
   * show one window in six and could miss the lab's 20-second burst (two windows). A gauge that
   * holds the highest value of the last minute shows it in the minute's sample.
   */
  public static final long PEAK_MILLIS = 60_000;

  private LabMetrics() {}

  /** The group the dashboard's metrics go in: {@code kinesisanalytics} under `operatorGroup`, with no key/value group. */
  public static MetricGroup group(MetricGroup operatorGroup) {
    return operatorGroup.addGroup(GROUP);
  }

  /** Registers a {@link Peak} gauge named `name` under {@link #group}, with the wall clock and PEAK_MILLIS. */
  public static Peak peak(MetricGroup operatorGroup, String name) {
    return group(operatorGroup).gauge(name, new Peak(PEAK_MILLIS, System::currentTimeMillis));
  }

  /**
   * A gauge whose value is the highest value recorded in the last `spanMillis` (by `clock`), or the
   * latest one when none was recorded that recently (a job that stopped receiving traffic keeps
   * showing its last window rather than dropping to nothing). 0 before the first value: CloudWatch
   * takes no NaN, and before the first window there are no clicks and no score.
   *
   * <p>Recorded from the task's thread and read from the metric reporter's, hence synchronized.
   * Memory is bounded by the values recorded within one span (a sliding-window maximum keeps only
   * values that can still become the maximum).
   */
  public static final class Peak implements Gauge<Double> {
    private final long spanMillis;
    private final LongSupplier clock;
    /** (time, value) pairs, values strictly decreasing from head to tail. */
    private final ArrayDeque<double[]> candidates = new ArrayDeque<>();
    private double latest;

    /**
     * @param spanMillis how far back the peak looks, above 0
     * @param clock milliseconds, not going backwards (the wall clock in the job, a fake one in tests)
     */
    public Peak(long spanMillis, LongSupplier clock) {
      if (spanMillis <= 0) throw new IllegalArgumentException("spanMillis must be above 0, not " + spanMillis);
      this.spanMillis = spanMillis;
      this.clock = clock;
    }

    /** Adds a value (a window's figure) at the clock's current time. */
    public synchronized void record(double value) {
      long now = clock.getAsLong();
      while (!candidates.isEmpty() && candidates.peekLast()[1] <= value) candidates.pollLast();
      candidates.addLast(new double[] {now, value});
      latest = value;
      expire(now);
    }

    @Override
    public synchronized Double getValue() {
      expire(clock.getAsLong());
      return candidates.isEmpty() ? latest : candidates.peekFirst()[1];
    }

    private void expire(long now) {
      while (!candidates.isEmpty() && candidates.peekFirst()[0] <= now - spanMillis) candidates.pollFirst();
    }
  }
}
