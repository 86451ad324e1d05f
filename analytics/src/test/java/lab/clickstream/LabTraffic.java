package lab.clickstream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The lab's test script as Kinesis would deliver it: one impressions window and one clicks window
 * at 1 record/s each, with browser-like jitter, for `steadySeconds`; then three more clicks
 * windows at 1/s for 20 s; the two steady windows go on for `afterSeconds` after the burst starts.
 * Arrival times start at a window boundary so that window arithmetic in assertions is simple.
 */
final class LabTraffic {
  static final Instant START = Instant.parse("2026-11-28T10:00:00Z");
  /** As traffic/profiles.ts sends it: each record up to 150 ms either side of its second. */
  static final long JITTER_MS = 150;

  private LabTraffic() {}

  static byte[] kdg(String action) {
    return ("{\"browseraction\":\"" + action + "\",\"site\":\"yourwebsiteurl.domain.com\"}\n").getBytes(StandardCharsets.UTF_8);
  }

  static List<KinesisRecord> labScript(int steadySeconds, int afterSeconds, long seed) {
    Random random = new Random(seed);
    List<KinesisRecord> out = new ArrayList<>();
    window(out, random, "Impression", 0, steadySeconds + afterSeconds);
    window(out, random, "Click", 0, steadySeconds + afterSeconds);
    for (int i = 0; i < 3; i++) window(out, random, "Click", steadySeconds, 20);
    out.sort(Comparator.comparingLong(r -> r.arrivalMillis));
    return out;
  }

  /**
   * One browser window: a record per second on the second, each moved by up to JITTER_MS either
   * way (the schedule `npm run traffic` plays), so that a window holds 9, 10 or 11 records as
   * windows straddle the jittered sends.
   */
  static void window(List<KinesisRecord> out, Random random, String action, int fromSecond, int seconds) {
    long phase = 0;
    for (int s = 0; s < seconds; s++) {
      long jitter = Math.round((random.nextDouble() * 2 - 1) * JITTER_MS);
      out.add(new KinesisRecord(kdg(action), START.toEpochMilli() + (fromSecond + s) * 1000L + phase + jitter));
    }
  }

  /** `count` records of one action, spread evenly over [fromSecond, fromSecond + 10). */
  static void crafted(List<KinesisRecord> out, String action, int fromSecond, int count) {
    for (int i = 0; i < count; i++) out.add(new KinesisRecord(kdg(action), START.toEpochMilli() + fromSecond * 1000L + (i * 10_000L) / Math.max(count, 1) + 1));
  }
}
