package lab.clickstream;

import com.amazon.randomcutforest.RandomCutForest;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * RANDOM_CUT_FOREST(value, numberOfTrees, subSampleSize, timeDecay, shingleSize), the lab's
 * function, as an aggregate for an OVER window: for each row it returns the anomaly score of
 * the value against the forest of all earlier rows, then adds the value to the forest. The
 * scores come from randomcutforest-core, the library behind KDA's function. A score cannot exceed
 * log2(subSampleSize + 1), 3.70 for the lab's 12; the first subSampleSize windows score 0 while
 * the sample fills (docs/detection.md has the figures behind both).
 *
 * The forest is the accumulator, and Flink keeps accumulators in managed state: it is
 * checkpointed, and restored from a snapshot or savepoint (ForestSerializer writes it).
 *
 * <p>Each scored row also goes to the dashboard's gauges {@code ctrPercent} and
 * {@code anomalyScore} (LabMetrics: the peak of the last minute, under the group
 * {@code kinesisanalytics}). They are set here, where the forest scores, so that the score is
 * computed once and the gauges show exactly what the SQL saw; they are not state.
 */
public class RandomCutForestFunction extends AggregateFunction<Double, RandomCutForestFunction.Forest> {
  /** Fixed, so that a replay scores exactly as the run it replays. */
  public static final long SEED = 2020L;

  public static class Forest {
    @DataTypeHint(value = "RAW", bridgedTo = RandomCutForest.class, rawSerializer = ForestSerializer.class)
    public RandomCutForest forest;

    public double lastScore;
  }

  private transient LabMetrics.Peak ctrPercent;
  private transient LabMetrics.Peak anomalyScore;

  @Override
  public void open(FunctionContext context) throws Exception {
    super.open(context);
    ctrPercent = LabMetrics.peak(context.getMetricGroup(), LabMetrics.CTR_PERCENT);
    anomalyScore = LabMetrics.peak(context.getMetricGroup(), LabMetrics.ANOMALY_SCORE);
  }

  @Override
  public Forest createAccumulator() {
    return new Forest();
  }

  public void accumulate(Forest acc, Double value, Integer numberOfTrees, Integer subSampleSize, Integer timeDecay, Integer shingleSize) {
    if (value == null) return;
    if (acc.forest == null) acc.forest = build(numberOfTrees, subSampleSize, timeDecay, shingleSize);
    double[] point = {value};
    acc.lastScore = acc.forest.getAnomalyScore(point);
    acc.forest.update(point);
    // Without open() (called directly, as DetectionModel does) there are no gauges to set.
    if (ctrPercent != null) {
      ctrPercent.record(value);
      anomalyScore.record(acc.lastScore);
    }
  }

  @Override
  public Double getValue(Forest acc) {
    return acc.lastScore;
  }

  static RandomCutForest build(int numberOfTrees, int subSampleSize, int timeDecay, int shingleSize) {
    if (numberOfTrees < 1 || subSampleSize < 1 || timeDecay < 1 || shingleSize < 1)
      throw new IllegalArgumentException("RANDOM_CUT_FOREST parameters must be at least 1: numberOfTrees=" + numberOfTrees
          + ", subSampleSize=" + subSampleSize + ", timeDecay=" + timeDecay + ", shingleSize=" + shingleSize);
    return RandomCutForest.builder()
        .numberOfTrees(numberOfTrees)
        .sampleSize(subSampleSize)
        .dimensions(shingleSize)
        .shingleSize(shingleSize)
        .internalShinglingEnabled(shingleSize > 1)
        // KDA's timeDecay is the number of points over which the sample forgets; the library's
        // timeDecay is the rate, its reciprocal.
        .timeDecay(1.0 / timeDecay)
        // Warm-up: the forest scores 0 until its sample is full. Before that an ordinary window is
        // scored against a handful of points and can reach the ceiling (docs/detection.md).
        .outputAfter(subSampleSize)
        .randomSeed(SEED)
        .build();
  }
}
