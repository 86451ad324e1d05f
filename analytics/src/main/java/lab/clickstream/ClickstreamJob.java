package lab.clickstream;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * The lab's analytics: ingest stream → sql/anomaly-detection.sql → anomalies stream.
 *
 * Configuration comes from the application's runtime properties (Managed Flink's property groups
 * through the runtime's API, or a file in the same format passed as the first argument for local
 * runs). Kinesis is reached only through {@link KinesisIO}. build() is the whole pipeline between
 * source and sink, so that tests run it on the MiniCluster with a replayed source and the same SQL.
 */
public final class ClickstreamJob {
  private ClickstreamJob() {}

  /** What the pipeline yields: anomaly rows as JSON, and rejected input records (reason, sample). */
  public static final class Pipeline {
    public final DataStream<String> anomalies;
    public final DataStream<String> rejected;

    Pipeline(DataStream<String> anomalies, DataStream<String> rejected) {
      this.anomalies = anomalies;
      this.rejected = rejected;
    }
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

  /** The whole job on env: Kinesis source, pipeline, Kinesis sink. Executes nothing. */
  public static void define(StreamExecutionEnvironment env, RuntimeProperties props) {
    Pipeline p = build(env, KinesisIO.source(env, props), props);
    p.anomalies.sinkTo(KinesisIO.sink(props)).name("anomalies stream").uid("anomalies-stream-sink");
  }

  /**
   * The pipeline between source and sink.
   *
   * @param records the ingest records, each timestamped with its Kinesis arrival time, with the
   *     source's watermarks (KinesisIO and ShardClock: event time moves only as far as was read)
   */
  public static Pipeline build(StreamExecutionEnvironment env, DataStream<KinesisRecord> records, RuntimeProperties props) {
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
    for (String statement : LabSql.statements(LabSql.load(), props::get)) tables.executeSql(statement);

    Table destination = tables.from("DESTINATION_SQL_STREAM");
    DataStream<String> anomalies = tables.toDataStream(destination)
        .map(ClickstreamJob::toJson, TypeInformation.of(String.class))
        .name("anomaly JSON")
        .uid("anomaly-json");
    return new Pipeline(anomalies, events.getSideOutput(RecordParser.REJECTED));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The row the alert Lambda reads (lambda/alert.ts, AnomalyRow). */
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
    return o.toString();
  }
}
