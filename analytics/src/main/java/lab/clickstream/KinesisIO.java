package lab.clickstream;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.clientlibrary.types.UserRecord;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.internals.KinesisDataFetcher;
import org.apache.flink.streaming.connectors.kinesis.internals.publisher.RecordPublisher;
import org.apache.flink.streaming.connectors.kinesis.model.SequenceNumber;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardHandle;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the job knows about Kinesis, in one file: the ingest stream as a stream of
 * {@link KinesisRecord}s with event time and watermarks, and the anomalies stream as a sink.
 * Nothing else in the job imports the connector (docs/flink-2-migration.md: this is the file that
 * changes for connector 6.x).
 *
 * <p>Reading: {@code FlinkKinesisConsumer} of flink-connector-kinesis 4.3.0-1.19, polling
 * (GetRecords every {@code IngestStream.getrecords.interval.ms}). Each record's event time is its
 * Kinesis arrival time; the watermark comes from the source itself, after each read, through
 * {@link ShardClock}: it moves with the records read and with reads that reached the tip of the
 * shard, never with the wall clock alone. Each read is counted (metric {@code getRecordsCalls}), and
 * the first read of each shard is logged ("first GetRecords on shard …"), which `npm start` waits
 * for before it plays the traffic.
 *
 * <p>Writing: {@code KinesisStreamsSink}, one record per row (JSON), to the anomalies stream and,
 * where configured, the scored stream.
 */
public final class KinesisIO {
  private static final Logger LOG = LoggerFactory.getLogger(KinesisIO.class);
  /** The log line a local run waits for before it sends traffic (local/lab.ts). */
  public static final String FIRST_READ = "first GetRecords on shard";

  private KinesisIO() {}

  /** The ingest stream, timestamped with arrival times and watermarked as {@link ShardClock} says. */
  public static DataStream<KinesisRecord> source(StreamExecutionEnvironment env, RuntimeProperties props) {
    Properties p = clientProperties(props, "IngestStream");
    p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, props.get("IngestStream", "initial.position"));
    p.setProperty(ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS, String.valueOf((long) props.number("IngestStream", "getrecords.interval.ms")));
    String stream = props.get("IngestStream", "stream.name");
    return env.addSource(new CaughtUpConsumer(stream, p), "ingest stream").uid("ingest-stream-source");
  }

  /**
   * An output stream (property group AnomaliesStream or ScoredStream: stream.name, aws.region,
   * aws.endpoint): each JSON row becomes one record.
   */
  public static KinesisStreamsSink<String> sink(RuntimeProperties props, String group) {
    return KinesisStreamsSink.<String>builder()
        .setKinesisClientProperties(clientProperties(props, group))
        .setSerializationSchema(new SimpleStringSchema())
        // One key per window: the rows spread over shards if the stream ever has more than one.
        .setPartitionKeyGenerator(json -> Integer.toHexString(json.hashCode()))
        .setStreamName(props.get(group, "stream.name"))
        .build();
  }

  /** Region, and for a local endpoint the endpoint, protocol and placeholder credentials. */
  static Properties clientProperties(RuntimeProperties props, String group) {
    Properties p = new Properties();
    p.setProperty(AWSConfigConstants.AWS_REGION, props.get(group, "aws.region"));
    String endpoint = props.get(group, "aws.endpoint");
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

  /** Keeps each record's bytes and its arrival time, which becomes its event time. */
  static final class ArrivalSchema implements KinesisDeserializationSchema<KinesisRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public KinesisRecord deserialize(byte[] value, String partitionKey, String seqNum, long approxArrivalTimestamp, String stream, String shardId) {
      return new KinesisRecord(value, approxArrivalTimestamp);
    }

    @Override
    public TypeInformation<KinesisRecord> getProducedType() {
      return TypeInformation.of(KinesisRecord.class);
    }
  }

  /** The connector's consumer with a fetcher that watermarks from reads (see the class comment). */
  static final class CaughtUpConsumer extends FlinkKinesisConsumer<KinesisRecord> {
    private static final long serialVersionUID = 1L;

    CaughtUpConsumer(String stream, Properties config) {
      super(stream, new ArrivalSchema(), config);
    }

    @Override
    protected KinesisDataFetcher<KinesisRecord> createFetcher(List<String> streams, SourceFunction.SourceContext<KinesisRecord> context, RuntimeContext runtime, Properties config, KinesisDeserializationSchema<KinesisRecord> schema) {
      return new CaughtUpFetcher(streams, context, runtime, config, schema, getShardAssigner());
    }
  }

  /**
   * Wraps each shard's record publisher: after every GetRecords, once its records are emitted (the
   * connector's synchronous emitter collects them before the batch callback returns), it tells
   * the {@link ShardClock} what was read and emits the watermark that follows.
   */
  static final class CaughtUpFetcher extends KinesisDataFetcher<KinesisRecord> {
    private final SourceFunction.SourceContext<KinesisRecord> context;
    private final ShardClock clock = new ShardClock();
    private long emitted = Long.MIN_VALUE;

    CaughtUpFetcher(List<String> streams, SourceFunction.SourceContext<KinesisRecord> context, RuntimeContext runtime, Properties config,
        KinesisDeserializationSchema<KinesisRecord> schema, org.apache.flink.streaming.connectors.kinesis.KinesisShardAssigner assigner) {
      // No periodic assigner and no tracker: the connector's own idle-after-a-while watermarks stay off.
      super(streams, context, runtime, config, schema, assigner, null, null);
      this.context = context;
    }

    @Override
    protected RecordPublisher createRecordPublisher(SequenceNumber start, Properties config, MetricGroup metrics, StreamShardHandle shard) throws InterruptedException {
      String shardId = shard.getStreamName() + "/" + shard.getShard().getShardId();
      clock.register(shardId);
      RecordPublisher inner = super.createRecordPublisher(start, config, metrics, shard);
      Counter calls = metrics.counter("getRecordsCalls");
      AtomicBoolean first = new AtomicBoolean(true);
      return consumer -> {
        long sentAt = System.currentTimeMillis();
        RecordPublisher.RecordPublisherRunResult result = inner.run(batch -> {
          SequenceNumber last = consumer.accept(batch);
          calls.inc();
          long maxArrival = Long.MIN_VALUE;
          for (UserRecord r : batch.getDeaggregatedRecords()) maxArrival = Math.max(maxArrival, r.getApproximateArrivalTimestamp().getTime());
          if (first.getAndSet(false))
            LOG.info("{} {}: {} records, MillisBehindLatest {}", FIRST_READ, shardId, batch.getDeaggregatedRecordSize(), batch.getMillisBehindLatest());
          clock.onRead(shardId, maxArrival, batch.getMillisBehindLatest(), sentAt);
          emitWatermark(clock.watermark());
          return last;
        });
        if (result == RecordPublisher.RecordPublisherRunResult.COMPLETE) {
          clock.finish(shardId);
          emitWatermark(clock.watermark());
        }
        return result;
      };
    }

    private void emitWatermark(long watermark) {
      synchronized (context.getCheckpointLock()) {
        if (watermark <= emitted) return;
        emitted = watermark;
        context.emitWatermark(new Watermark(watermark));
      }
    }
  }
}
