package lab.clickstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The job's detection without Flink, for the benchmark's thousands of windows: the same read
 * schedule and {@link ShardClock} for event time, the same rule for late records
 * ({@link RecordParser#windowClosed}), the same windows and inner join as sql/, and the same
 * {@link RandomCutForestFunction} for the scores. EventTimeTest proves that it gives the job's
 * rows, bit for bit, on the MiniCluster.
 *
 * <p>Reads are simulated in virtual time: a poller reads every `pollMillis` from `firstReadAt`,
 * skipping `[stallFrom, stallFrom + stallMillis)`, and each read returns up to `maxPerRead`
 * records that have arrived by then.
 */
final class DetectionModel {
  /** One scored window, as the job's output row has it. */
  static final class Row {
    final long windowStart;
    final long clicks;
    final long impressions;
    final double ctr;
    final double score;
    /** Mean rate of this window and the sampleSize before it (the SQL's CTR_MEAN). */
    double ctrMean;

    Row(long windowStart, long clicks, long impressions, double ctr, double score) {
      this.windowStart = windowStart;
      this.clicks = clicks;
      this.impressions = impressions;
      this.ctr = ctr;
      this.score = score;
    }

    @Override
    public String toString() {
      return String.format("%d:%d/%d=%.2f@%.4f", windowStart, clicks, impressions, ctr, score);
    }
  }

  /** The SQL's WHERE: score above the threshold and the rate off its recent mean by minChange of it. */
  static boolean anomaly(Row r, double threshold, double minChange) {
    return r.score > threshold && Math.abs(r.ctr - r.ctrMean) >= minChange * r.ctrMean;
  }

  /** How the source reads the shard. */
  static final class Reads {
    long pollMillis = 1000;
    int maxPerRead = 10_000;
    /** Virtual time of the first read; Long.MIN_VALUE: at the first record's arrival. */
    long firstReadAt = Long.MIN_VALUE;
    long stallFrom = Long.MIN_VALUE;
    long stallMillis = 0;
  }

  /** What a run yields: every scored row, and the records that came too late for their window. */
  static final class Result {
    final List<Row> rows = new ArrayList<>();
    long lateRecords;
  }

  long windowMillis = 10_000;
  int trees = 100;
  int sampleSize = 12;
  int timeDecay = 100_000;
  int shingleSize = 1;

  static boolean isClick(KinesisRecord r) {
    return new String(r.data, StandardCharsets.UTF_8).contains("\"Click\"");
  }

  static boolean isImpression(KinesisRecord r) {
    return new String(r.data, StandardCharsets.UTF_8).contains("\"Impression\"");
  }

  Result run(List<KinesisRecord> input, Reads reads) {
    List<KinesisRecord> shard = new ArrayList<>(input);
    shard.sort(Comparator.comparingLong(r -> r.arrivalMillis));
    Result result = new Result();
    TreeMap<Long, long[]> windows = new TreeMap<>(); // start → {clicks, impressions}
    ShardClock clock = new ShardClock();
    clock.register("model");
    long watermark = Long.MIN_VALUE;
    long t = reads.firstReadAt == Long.MIN_VALUE ? shard.get(0).arrivalMillis : reads.firstReadAt;
    int next = 0;
    long last = shard.get(shard.size() - 1).arrivalMillis;
    // Read until every window has closed through tip reads, as the job's source would.
    while (next < shard.size() || watermark < last + windowMillis) {
      if (reads.stallMillis > 0 && t >= reads.stallFrom && t < reads.stallFrom + reads.stallMillis) {
        t = reads.stallFrom + reads.stallMillis;
        continue;
      }
      int arrived = next;
      while (arrived < shard.size() && shard.get(arrived).arrivalMillis <= t) arrived++;
      int end = Math.min(arrived, next + reads.maxPerRead);
      long maxArrival = Long.MIN_VALUE;
      for (int i = next; i < end; i++) {
        KinesisRecord r = shard.get(i);
        maxArrival = Math.max(maxArrival, r.arrivalMillis);
        if (RecordParser.windowClosed(r.arrivalMillis, watermark, windowMillis)) {
          result.lateRecords++;
          continue;
        }
        long start = r.arrivalMillis - Math.floorMod(r.arrivalMillis, windowMillis);
        long[] counts = windows.computeIfAbsent(start, k -> new long[2]);
        if (isClick(r)) counts[0]++;
        else if (isImpression(r)) counts[1]++;
      }
      long behind = end < arrived ? Math.max(1, shard.get(arrived - 1).arrivalMillis - shard.get(end - 1).arrivalMillis) : 0;
      next = end;
      clock.onRead("model", maxArrival, behind, t);
      watermark = Math.max(watermark, clock.watermark());
      t += reads.pollMillis;
    }
    RandomCutForestFunction rcf = new RandomCutForestFunction();
    RandomCutForestFunction.Forest forest = rcf.createAccumulator();
    for (var w : windows.entrySet()) {
      long clicks = w.getValue()[0];
      long impressions = w.getValue()[1];
      if (clicks == 0 || impressions == 0) continue; // the inner join: no rate without both
      double ctr = (double) clicks / (double) impressions * 100.000;
      rcf.accumulate(forest, ctr, trees, sampleSize, timeDecay, shingleSize);
      Row row = new Row(w.getKey(), clicks, impressions, ctr, rcf.getValue(forest));
      int from = Math.max(0, result.rows.size() - sampleSize);
      double sum = ctr;
      for (int i = from; i < result.rows.size(); i++) sum += result.rows.get(i).ctr;
      row.ctrMean = sum / (result.rows.size() - from + 1);
      result.rows.add(row);
    }
    return result;
  }
}
