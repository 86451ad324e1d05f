package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detection benchmark's targets on a small fixed seed set, with the contract's default
 * threshold: no false alarm, the burst caught in its first window every time, no window lost and
 * no late record, also when the shard is read as a backlog, after a restart or through a stall.
 */
class DetectionTargetsTest {
  static final double THRESHOLD = Evaluation.THRESHOLD;
  static final double MIN_CHANGE = Evaluation.MIN_CHANGE;

  static List<Evaluation.Replay> replays() {
    List<Evaluation.Replay> out = new ArrayList<>();
    for (long seed : new long[] {1, 2, 3}) {
      out.add(new Evaluation.Replay(Scenarios.lab("lab", seed, new Scenarios.Lab()), 10_000));
      Scenarios.Lab wide = new Scenarios.Lab();
      wide.jitter = 300;
      out.add(new Evaluation.Replay(Scenarios.lab("lab ±300", 100 + seed, wide), 10_000));
      for (Scenarios.Scenario s : Scenarios.variants(200 + seed)) out.add(new Evaluation.Replay(s, 10_000));
    }
    out.add(new Evaluation.Replay(Scenarios.steady("steady", 300, 3600, 300), 10_000));
    return out;
  }

  @Test
  void noFalseAlarmTheBurstInItsFirstWindowNothingLost() {
    List<Evaluation.Replay> replays = replays();
    for (Evaluation.Replay r : replays) {
      Evaluation e = Evaluation.of(r, THRESHOLD, MIN_CHANGE, 10_000);
      String what = r.scenario.name + ": " + r.run.rows;
      assertEquals(0, e.falseAlarms, "false alarms in " + what);
      assertEquals(0, e.windowsLost, "windows lost in " + what);
      assertEquals(0, e.lateRecords, "late records in " + what);
      if (e.hasBurst) assertEquals(1, e.windowsToDetect, "the burst alerts in its first window in " + what);
    }
    Evaluation.Totals t = Evaluation.totals(replays, THRESHOLD, MIN_CHANGE, 10_000);
    assertEquals(100.0, t.detectionRate());
    assertTrue(t.steadyHours > 3, "hours of traffic judged: " + t.steadyHours);
  }

  /** The set can fail: the lab's threshold of 2 alone alerts on steady windows, and so does a score without the magnitude check. */
  @Test
  void theLabsThresholdOf2AndTheScoreAloneWouldAlertOnSteadyTraffic() {
    assertTrue(Evaluation.totals(replays(), 2.0, 0, 10_000).falseAlarms > 0);
    assertTrue(Evaluation.totals(replays(), THRESHOLD, 0, 10_000).falseAlarms > 0);
  }

  /** A reader that falls ever further behind loses nothing: event time follows what was read. */
  @Test
  void aReaderThatFallsBehindLosesNothing() {
    Scenarios.Scenario s = Scenarios.lab("lab", 1, new Scenarios.Lab());
    DetectionModel model = new DetectionModel();
    DetectionModel.Reads reads = new DetectionModel.Reads();
    reads.maxPerRead = 1; // one record a second: the reader falls ever further behind
    DetectionModel.Result r = model.run(s.records, reads);
    assertEquals(0, r.lateRecords, "reading slowly loses nothing: event time follows what was read");
    assertEquals(Evaluation.of(s, THRESHOLD, 10_000).windows, r.rows.size());
  }
}
