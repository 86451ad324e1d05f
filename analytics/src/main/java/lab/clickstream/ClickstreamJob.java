package lab.clickstream;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The lab's analytics: ingest stream → sql/anomaly-detection.sql → anomalies stream, and every
 * scored window to the scored stream where one is configured (the local lab's live view).
 *
 * Configuration comes from the application's runtime properties (Managed Flink's property groups
 * through the runtime's API, or a file in the same format passed as the first argument for local
 * runs). Kinesis is reached only through {@link KinesisIO}. build() is the whole pipeline between
 * source and sink, so that tests run it on the MiniCluster with a replayed source and the same SQL.
 */
public final class ClickstreamJob {
  private ClickstreamJob() {}

  /**
   * What the pipeline yields, as JSON rows ({@link #toJson}): the anomalous windows, every scored
   * window (each with its verdict, {@code anomaly}), and rejected input records (reason, sample).
   */
  public static final class Pipeline {
    public final DataStream<String> anomalies;
    public final DataStream<String> scored;
    public final DataStream<String> rejected;

    Pipeline(DataStream<String> anomalies, DataStream<String> scored, DataStream<String> rejected) {
      this.anomalies = anomalies;
      this.scored = scored;
      this.rejected = rejected;
    }
  }

  /**
   * How a restart from a snapshot treats state that no operator of this job claims: skipped
   * ({@code execution.savepoint.ignore-unclaimed-state}), as Managed Flink's AllowNonRestoredState
   * does. The job sets it itself because the service restores with AllowNonRestoredState=false
   * after any UpdateApplication that does not repeat the flag (FlinkRunConfiguration, API
   * reference), and Pulumi's provider repeats the run configuration only when it changes. State is
   * unclaimed only where {@link StableUids} gave an operator a new uid, because the operator or
   * something upstream of it changed: its old state would not fit it. The Kinesis source's uid
   * never changes, so the ingest position is always restored. docs/detection.md, "Updates and the
   * forest".
   */
  public static final boolean RESTORE_IGNORES_UNCLAIMED_STATE = true;

  /** Applies {@link #RESTORE_IGNORES_UNCLAIMED_STATE} to env, before the job is executed. */
  public static void restorePolicy(StreamExecutionEnvironment env) {
    Configuration c = new Configuration();
    c.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, RESTORE_IGNORES_UNCLAIMED_STATE);
    env.configure(c);
  }

  public static void main(String[] args) throws Exception {
    RuntimeProperties props = RuntimeProperties.load(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // Managed Flink sets the parallelism from the application (1 here); a local run would take one
    // per core, and the lab's single forest runs in one subtask anyway.
    if (args.length > 0) env.setParallelism(1);
    define(env, props);
    env.execute("clickstream anomaly detection");
  }

  /**
   * The whole job on env: Kinesis source, pipeline, the anomalies stream's sink, and the scored
   * stream's where ScoredStream/stream.name is set. Sets the restore policy; executes nothing.
   */
  public static void define(StreamExecutionEnvironment env, RuntimeProperties props) {
    restorePolicy(env);
    Pipeline p = build(env, KinesisIO.source(env, props), props);
    p.anomalies.sinkTo(KinesisIO.sink(props, "AnomaliesStream")).name("anomalies stream").uid("anomalies-stream-sink");
    if (!props.get("ScoredStream", "stream.name").isEmpty())
      p.scored.sinkTo(KinesisIO.sink(props, "ScoredStream")).name("scored stream").uid("scored-stream-sink");
  }

  /**
   * The pipeline between source and sink.
   *
   * @param records the ingest records, each timestamped with its Kinesis arrival time, with the
   *     source's watermarks (KinesisIO and ShardClock: event time moves only as far as was read)
   */
  public static Pipeline build(StreamExecutionEnvironment env, DataStream<KinesisRecord> records, RuntimeProperties props) {
    return build(env, records, props, LabSql.load());
  }

  /** The pipeline with another SQL script in place of sql/anomaly-detection.sql: a changed job, for the update tests. */
  static Pipeline build(StreamExecutionEnvironment env, DataStream<KinesisRecord> records, RuntimeProperties props, String script) {
    long windowMillis = Math.round(props.number("Detection", "window.seconds") * 1000);
    SingleOutputStreamOperator<ClickEvent> events = records
        // RecordParser in a ProcessOperator that also passes it the watermarks (its window gauges).
        .transform("parse KDG records", TypeInformation.of(ClickEvent.class), new RecordParser.Operator(windowMillis))
        .uid("parse-kdg-records");

    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    // Window bounds print as UTC, whatever the machine's zone.
    tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
    tables.createTemporarySystemFunction("RANDOM_CUT_FOREST", RandomCutForestFunction.class);
    tables.createTemporaryView("SOURCE_SQL_STREAM_001", tables.fromDataStream(events, Schema.newBuilder()
        .column("browseraction", DataTypes.STRING())
        .columnByMetadata("ROWTIME", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
        .watermark("ROWTIME", "SOURCE_WATERMARK()")
        .build()));
    for (String statement : LabSql.statements(script, props::get)) tables.executeSql(statement);

    // One conversion of the scored rows, so that one forest scores them all; the anomalies are
    // the rows whose verdict (the SQL's IS_ANOMALY) is true.
    Table destination = tables.from("DESTINATION_SQL_STREAM");
    DataStream<Row> rows = tables.toDataStream(destination);
    StableUids.assign(rows.getTransformation());
    DataStream<String> scored = rows.map(ClickstreamJob::toJson, TypeInformation.of(String.class)).name("scored JSON").uid("scored-json");
    DataStream<String> anomalies = rows
        .filter(row -> Boolean.TRUE.equals(row.getField(VERDICT)))
        .name("anomalies")
        .uid("anomalies-only")
        .map(ClickstreamJob::toJson, TypeInformation.of(String.class))
        .name("anomaly JSON")
        .uid("anomaly-json");
    return new Pipeline(anomalies, scored, events.getSideOutput(RecordParser.REJECTED));
  }

  /** The SQL's column that says whether a window is an anomaly (sql/anomaly-detection.sql). */
  static final String VERDICT = "IS_ANOMALY";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The row the alert Lambda reads (lambda/alert.ts, AnomalyRow), with the window's verdict. */
  static String toJson(Row row) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ctrPercent", (Double) row.getField("CTRPERCENT"));
    o.put("anomalyScore", (Double) row.getField("ANOMALY_SCORE"));
    o.put("scoreFraction", (Double) row.getField("SCORE_FRACTION"));
    o.put("ctrMean", (Double) row.getField("CTR_MEAN"));
    o.put("clicks", ((Double) row.getField("CLICKCOUNT")).longValue());
    o.put("impressions", ((Double) row.getField("IMPRESSIONCOUNT")).longValue());
    o.put("windowStart", ((LocalDateTime) row.getField("window_start")).toInstant(ZoneOffset.UTC).toString());
    o.put("windowEnd", ((LocalDateTime) row.getField("window_end")).toInstant(ZoneOffset.UTC).toString());
    o.put("anomaly", Boolean.TRUE.equals(row.getField(VERDICT)));
    return o.toString();
  }
}
