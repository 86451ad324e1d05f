package lab.clickstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The lab's analytics: ingest stream → sql/anomaly-detection.sql → anomalies stream.
 *
 * Configuration comes from the application's runtime properties (Managed Flink's property groups,
 * or a file in the same format passed as the first argument for local runs). build() is the
 * whole pipeline between the Kinesis source and sink, so that tests run it on the MiniCluster with
 * a replayed source and the same SQL.
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
    Path file = args.length > 0 ? Path.of(args[0]) : RuntimeProperties.MANAGED_FLINK_FILE;
    if (!Files.exists(file)) throw new IllegalArgumentException("no runtime properties at " + file + " (pass a file in Managed Flink's format as the first argument)");
    RuntimeProperties props = RuntimeProperties.fromFile(file);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // Managed Flink sets the parallelism from the application (1 here); a local run would take one
    // per core, and the lab's single forest runs in one subtask anyway.
    if (args.length > 0) env.setParallelism(1);
    DataStream<KinesisRecord> source = env.addSource(kinesisSource(props), "ingest stream").uid("ingest-stream-source");
    Pipeline p = build(env, source, props);
    p.anomalies.sinkTo(kinesisSink(props)).name("anomalies stream").uid("anomalies-stream-sink");
    env.execute("clickstream anomaly detection");
  }

  public static Pipeline build(StreamExecutionEnvironment env, DataStream<KinesisRecord> records, RuntimeProperties props) {
    long idle = (long) props.number("Detection", "watermark.idle.ms");
    SingleOutputStreamOperator<ClickEvent> events = records
        .assignTimestampsAndWatermarks(WatermarkStrategy.<KinesisRecord>forGenerator(ctx -> new ArrivalTimeWatermarks(idle))
            .withTimestampAssigner((r, previous) -> r.arrivalMillis))
        .name("arrival time")
        .uid("arrival-time")
        .process(new RecordParser())
        .name("parse KDG records")
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
    for (String statement : LabSql.statements(LabSql.load(), props.sqlParameters())) tables.executeSql(statement);

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
    o.put("clicks", ((Double) row.getField("CLICKCOUNT")).longValue());
    o.put("impressions", ((Double) row.getField("IMPRESSIONCOUNT")).longValue());
    o.put("windowStart", ((LocalDateTime) row.getField("window_start")).toInstant(ZoneOffset.UTC).toString());
    o.put("windowEnd", ((LocalDateTime) row.getField("window_end")).toInstant(ZoneOffset.UTC).toString());
    return o.toString();
  }

  static Properties awsClientProperties(Properties group) {
    Properties p = new Properties();
    p.setProperty(AWSConfigConstants.AWS_REGION, group.getProperty("aws.region"));
    String endpoint = group.getProperty("aws.endpoint", "");
    if (!endpoint.isEmpty()) {
      p.setProperty(AWSConfigConstants.AWS_ENDPOINT, endpoint);
      // Local endpoints speak HTTP/1.1 and JSON; the SDKs default to HTTP/2 (sink) and CBOR.
      p.setProperty("aws.http.protocol.version", "HTTP1_1");
      // The connector shades the SDK, and shading rewrites the property's name with the package.
      System.setProperty("com.amazonaws.sdk.disableCbor", "true");
      System.setProperty("org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor", "true");
      System.setProperty("aws.cborEnabled", "false");
      // Local endpoints ignore credentials, but the SDK insists on some.
      p.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "BASIC");
      p.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, "local");
      p.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, "local");
    }
    return p;
  }

  static FlinkKinesisConsumer<KinesisRecord> kinesisSource(RuntimeProperties props) {
    Properties group = props.group("IngestStream");
    Properties p = awsClientProperties(group);
    p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, group.getProperty("initial.position"));
    return new FlinkKinesisConsumer<>(group.getProperty("stream.name"), new ArrivalSchema(), p);
  }

  static KinesisStreamsSink<String> kinesisSink(RuntimeProperties props) {
    Properties group = props.group("AnomaliesStream");
    return KinesisStreamsSink.<String>builder()
        .setKinesisClientProperties(awsClientProperties(group))
        .setSerializationSchema(new SimpleStringSchema())
        // One key per window: the rows spread over shards if the stream ever has more than one.
        .setPartitionKeyGenerator(json -> Integer.toHexString(json.hashCode()))
        .setStreamName(group.getProperty("stream.name"))
        .build();
  }

  /** Keeps each record's bytes and its arrival time, which becomes its event time. */
  static final class ArrivalSchema implements KinesisDeserializationSchema<KinesisRecord> {
    @Override
    public KinesisRecord deserialize(byte[] value, String partitionKey, String seqNum, long approxArrivalTimestamp, String stream, String shardId) {
      return new KinesisRecord(value, approxArrivalTimestamp);
    }

    @Override
    public TypeInformation<KinesisRecord> getProducedType() {
      return TypeInformation.of(KinesisRecord.class);
    }
  }
}
