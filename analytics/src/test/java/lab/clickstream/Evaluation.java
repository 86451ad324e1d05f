package lab.clickstream;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one replay went, judged as an attendee would: an alert on a window without any burst record
 * is a false alarm, unless the window overlaps a pause of the impressions producer: its rate is
 * then really out of the ordinary (10 clicks to 1 impression), and the alert is counted apart
 * ("pause alerts"), not hidden. The burst's windows run from the one holding the burst's scheduled
 * start to the one holding its last record; it is detected when one of them alerts, and "windows
 * to detect" counts them up to the first alert (1: the window in which the burst started). A window is lost when its row is missing or counts differently from a reading that
 * never falls behind; late records are those the job counted as late (RecordParser).
 */
final class Evaluation {
  int alerts;
  int falseAlarms;
  int pauseAlerts;
  boolean hasBurst;
  boolean detected;
  int windowsToDetect;
  int windowsLost;
  long lateRecords;
  int windows;
  double maxSteadyScore;
  double minFirstBurstScore = Double.NaN;

  /** A scenario run through the model twice: as its reads say, and read without ever falling behind. */
  static final class Replay {
    final Scenarios.Scenario scenario;
    final DetectionModel.Result run;
    final DetectionModel.Result ideal;

    Replay(Scenarios.Scenario s, long windowMillis) {
      DetectionModel model = new DetectionModel();
      model.windowMillis = windowMillis;
      scenario = s;
      run = model.run(s.records, s.reads);
      ideal = model.run(s.records, new DetectionModel.Reads());
    }
  }

  /** The contract's defaults: what a deployed job decides with. */
  static final double THRESHOLD = Double.parseDouble(RuntimeProperties.contract().get("Detection").get("anomaly.threshold").get("default").asText());
  static final double MIN_CHANGE = Double.parseDouble(RuntimeProperties.contract().get("Detection").get("min.ctr.change").get("default").asText());

  static Evaluation of(Scenarios.Scenario s, double threshold, long windowMillis) {
    return of(new Replay(s, windowMillis), threshold, MIN_CHANGE, windowMillis);
  }

  static Evaluation of(Replay replay, double threshold, double minChange, long windowMillis) {
    Scenarios.Scenario s = replay.scenario;
    DetectionModel.Result run = replay.run;
    DetectionModel.Result ideal = replay.ideal;
    Evaluation e = new Evaluation();
    e.lateRecords = run.lateRecords;
    e.windows = run.rows.size();
    Map<Long, String> idealCounts = new HashMap<>();
    for (DetectionModel.Row r : ideal.rows) idealCounts.put(r.windowStart, r.clicks + "/" + r.impressions);
    Map<Long, String> runCounts = new HashMap<>();
    for (DetectionModel.Row r : run.rows) runCounts.put(r.windowStart, r.clicks + "/" + r.impressions);
    for (Map.Entry<Long, String> w : idealCounts.entrySet()) if (!w.getValue().equals(runCounts.get(w.getKey()))) e.windowsLost++;

    Set<Long> touchedByBurst = new HashSet<>();
    for (int i = 0; i < s.records.size(); i++)
      if (s.burst.get(i)) touchedByBurst.add(s.records.get(i).arrivalMillis - Math.floorMod(s.records.get(i).arrivalMillis, windowMillis));
    e.hasBurst = s.hasBurst();
    long firstBurstWindow = s.burstScheduled - Math.floorMod(s.burstScheduled, windowMillis);
    int burstIndex = 0;
    for (DetectionModel.Row r : run.rows) {
      boolean alert = DetectionModel.anomaly(r, threshold, minChange);
      boolean burst = e.hasBurst && r.windowStart >= firstBurstWindow && r.windowStart <= s.burstTo;
      boolean disturbed = r.windowStart + windowMillis > s.disturbedFrom && r.windowStart < s.disturbedTo;
      if (alert) e.alerts++;
      if (burst) {
        burstIndex++;
        if (burstIndex == 1) e.minFirstBurstScore = r.score;
        if (alert && !e.detected) {
          e.detected = true;
          e.windowsToDetect = burstIndex;
        }
      } else if (!touchedByBurst.contains(r.windowStart)) {
        if (alert && disturbed) e.pauseAlerts++;
        else if (alert) e.falseAlarms++;
        if (!disturbed) e.maxSteadyScore = Math.max(e.maxSteadyScore, r.score);
      }
    }
    return e;
  }

  /** Sums of many replays. */
  static final class Totals {
    int replays;
    int withBurst;
    int detected;
    int maxWindowsToDetect;
    int falseAlarms;
    int pauseAlerts;
    int windowsLost;
    long lateRecords;
    double steadyHours;
    double maxSteadyScore;
    double minFirstBurstScore = Double.MAX_VALUE;

    void add(Evaluation e, long seconds) {
      replays++;
      falseAlarms += e.falseAlarms;
      pauseAlerts += e.pauseAlerts;
      windowsLost += e.windowsLost;
      lateRecords += e.lateRecords;
      steadyHours += seconds / 3600.0;
      maxSteadyScore = Math.max(maxSteadyScore, e.maxSteadyScore);
      if (e.hasBurst) {
        withBurst++;
        if (e.detected) detected++;
        maxWindowsToDetect = Math.max(maxWindowsToDetect, e.detected ? e.windowsToDetect : Integer.MAX_VALUE);
        minFirstBurstScore = Math.min(minFirstBurstScore, e.minFirstBurstScore);
      }
    }

    double falseAlarmsPerHour() {
      return steadyHours == 0 ? 0 : falseAlarms / steadyHours;
    }

    double detectionRate() {
      return withBurst == 0 ? 100 : 100.0 * detected / withBurst;
    }
  }

  static Totals totals(List<Replay> replays, double threshold, double minChange, long windowMillis) {
    Totals t = new Totals();
    for (Replay r : replays) t.add(of(r, threshold, minChange, windowMillis), r.scenario.seconds());
    return t;
  }
}
