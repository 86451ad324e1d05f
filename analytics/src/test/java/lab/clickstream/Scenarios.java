package lab.clickstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The traffic the detection benchmark and its test replay: the lab's script (traffic/profiles.ts,
 * "lab": an impressions window and a clicks window at 1 record/s, three more clicks windows for
 * 20 s at 600 s) with browser jitter, steady traffic without a burst, and the variants that the
 * lab meets on AWS. Each scenario says how its records are read (DetectionModel.Reads) and which
 * records belong to the burst, so that alerts can be judged.
 */
final class Scenarios {
  private Scenarios() {}

  /** A replay: its records, how the source reads them, and when the burst starts (-1: none). */
  static final class Scenario {
    final String name;
    final List<KinesisRecord> records = new ArrayList<>();
    final List<Boolean> burst = new ArrayList<>();
    final DetectionModel.Reads reads = new DetectionModel.Reads();
    long burstFrom = Long.MAX_VALUE;
    long burstTo = Long.MIN_VALUE;
    /** When the burst's producers were started (the first record may come up to the jitter earlier). */
    long burstScheduled = Long.MAX_VALUE;
    /** Arrival times during which the impressions producer was paused, widened by the jitter. */
    long disturbedFrom = Long.MAX_VALUE;
    long disturbedTo = Long.MIN_VALUE;

    Scenario(String name) {
      this.name = name;
    }

    void add(KinesisRecord r, boolean ofBurst) {
      records.add(r);
      burst.add(ofBurst);
      if (ofBurst) {
        burstFrom = Math.min(burstFrom, r.arrivalMillis);
        burstTo = Math.max(burstTo, r.arrivalMillis);
      }
    }

    boolean hasBurst() {
      return burstFrom != Long.MAX_VALUE;
    }

    long seconds() {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (KinesisRecord r : records) {
        min = Math.min(min, r.arrivalMillis);
        max = Math.max(max, r.arrivalMillis);
      }
      return (max - min) / 1000;
    }
  }

  static final long T0 = LabTraffic.START.toEpochMilli();

  /**
   * One KDG window: `seconds` records at 1/s from `fromSecond`, each moved by up to `jitter` ms
   * either way, skipping [pauseFrom, pauseTo) seconds. With `timer`, the window sends as a browser
   * timer does: at its own phase within the second (the same for all its records), ±5 ms, and
   * once in 50 sends up to a second late (a busy or background tab); its windows then count 10
   * almost always, and 9 or 11 when a late send crosses a window's end.
   */
  static void window(Scenario s, Random random, String action, int fromSecond, int seconds, long jitter, boolean ofBurst, int pauseFrom, int pauseTo, boolean timer) {
    byte[] data = LabTraffic.kdg(action);
    long phase = timer ? random.nextInt(1000) : 0;
    for (int i = 0; i < seconds; i++) {
      int second = fromSecond + i;
      if (second >= pauseFrom && second < pauseTo) continue;
      long j = timer ? phase + Math.round((random.nextDouble() * 2 - 1) * 5) + (random.nextInt(50) == 0 ? random.nextInt(1000) : 0)
          : Math.round((random.nextDouble() * 2 - 1) * jitter);
      s.add(new KinesisRecord(data, T0 + second * 1000L + j), ofBurst);
    }
  }

  /** Options of the lab script. */
  static final class Lab {
    int steadySeconds = 600;
    int afterSeconds = 80;
    int burstProducers = 3;
    int burstOffsetSeconds = 0;
    long jitter = 150;
    boolean batched;
    int impressionsPauseFrom = -1;
    int impressionsPauseSeconds = 0;
  }

  static Scenario lab(String name, long seed, Lab o) {
    Scenario s = new Scenario(name);
    Random random = new Random(seed);
    int total = o.steadySeconds + o.afterSeconds;
    int pauseTo = o.impressionsPauseFrom + o.impressionsPauseSeconds;
    if (o.impressionsPauseSeconds > 0) {
      s.disturbedFrom = T0 + o.impressionsPauseFrom * 1000L - 1000 - o.jitter;
      s.disturbedTo = T0 + pauseTo * 1000L + o.jitter;
    }
    if (o.burstProducers > 0) s.burstScheduled = T0 + (o.steadySeconds + o.burstOffsetSeconds) * 1000L;
    window(s, random, "Impression", 0, total, o.jitter, false, o.impressionsPauseFrom, pauseTo, o.batched);
    window(s, random, "Click", 0, total, o.jitter, false, -1, -1, o.batched);
    for (int i = 0; i < o.burstProducers; i++) window(s, random, "Click", o.steadySeconds + o.burstOffsetSeconds, 20, o.jitter, true, -1, -1, o.batched);
    sort(s);
    return s;
  }

  /** Steady traffic only (the two windows the lab keeps running), for false alarms per hour. */
  static Scenario steady(String name, long seed, int seconds, long jitter) {
    Lab o = new Lab();
    o.steadySeconds = seconds;
    o.afterSeconds = 0;
    o.burstProducers = 0;
    o.jitter = jitter;
    return lab(name, seed, o);
  }

  private static void sort(Scenario s) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < s.records.size(); i++) order.add(i);
    order.sort(Comparator.comparingLong(i -> s.records.get(i).arrivalMillis));
    List<KinesisRecord> r = new ArrayList<>();
    List<Boolean> b = new ArrayList<>();
    for (int i : order) {
      r.add(s.records.get(i));
      b.add(s.burst.get(i));
    }
    s.records.clear();
    s.records.addAll(r);
    s.burst.clear();
    s.burst.addAll(b);
  }

  /** The variants of issue 12, each for one seed. */
  static List<Scenario> variants(long seed) {
    List<Scenario> out = new ArrayList<>();
    Lab two = new Lab();
    two.burstProducers = 2;
    out.add(lab("2 extra click producers", seed, two));
    Lab mid = new Lab();
    mid.burstOffsetSeconds = 5;
    out.add(lab("burst starting mid-window", seed, mid));
    Lab precise = new Lab();
    precise.jitter = 15;
    out.add(lab("precise browser timers (±15 ms jitter)", seed, precise));
    Lab batched = new Lab();
    batched.batched = true;
    out.add(lab("KDG timers (one send a second, own phase, 1 in 50 late)", seed, batched));
    Scenario backlog = lab("backlog delivery (read after the traffic)", seed, new Lab());
    backlog.reads.firstReadAt = T0 + 700_000;
    out.add(backlog);
    Scenario restart = lab("restart backlog (read from 300 s on)", seed, new Lab());
    restart.reads.firstReadAt = T0 + 300_000;
    out.add(restart);
    Scenario stall = lab("10-s stall mid-run", seed, new Lab());
    stall.reads.stallFrom = T0 + 305_000;
    stall.reads.stallMillis = 10_000;
    out.add(stall);
    Lab pause = new Lab();
    pause.impressionsPauseFrom = 300;
    pause.impressionsPauseSeconds = 30;
    out.add(lab("impressions pausing for 30 s", seed, pause));
    return out;
  }
}
