package lab.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePropertiesTest {
  @Test
  void readsManagedFlinksFileAndFillsDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("application_properties.json");
    Files.writeString(file, "[{\"PropertyGroupId\":\"IngestStream\",\"PropertyMap\":{\"stream.name\":\"e-t-clicks\"}},"
        + "{\"PropertyGroupId\":\"AnomaliesStream\",\"PropertyMap\":{\"stream.name\":\"e-t-anomalies\"}},"
        + "{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"anomaly.threshold\":\"2.5\"}}]");
    RuntimeProperties p = RuntimeProperties.load(new String[] {file.toString()});
    assertEquals("e-t-clicks", p.get("IngestStream", "stream.name"));
    assertEquals("LATEST", p.get("IngestStream", "initial.position"));
    assertEquals(2.5, p.number("Detection", "anomaly.threshold"));
    assertEquals("12", p.get("RandomCutForest", "sub.sample.size"));
  }

  @Test
  void reportsEveryProblemAtOnceNamingGroupAndKey() {
    Properties detection = new Properties();
    detection.setProperty("window.seconds", "ten");
    detection.setProperty("windowSeconds", "10");
    Properties stray = new Properties();
    stray.setProperty("x", "y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeProperties.of(Map.of("Detection", detection, "Extra", stray)));
    for (String expected : List.of("unknown property group Extra", "unknown key Detection.windowSeconds", "missing IngestStream.stream.name",
        "missing AnomaliesStream.stream.name", "Detection.window.seconds must be a number, not 'ten'"))
      assertTrue(e.getMessage().contains(expected), expected + " in: " + e.getMessage());
  }

  @Test
  void twoGroupsMayShareAKeyNameWithoutHidingEachOther() {
    RuntimeProperties p = Jobs.properties("IngestStream.aws.region", "us-east-1", "AnomaliesStream.aws.region", "eu-west-1");
    assertEquals("us-east-1", p.get("IngestStream", "aws.region"));
    assertEquals("eu-west-1", p.get("AnomaliesStream", "aws.region"));
  }

  @Test
  void refusesAPollingIntervalAboveTheShardsReadLimit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jobs.properties("IngestStream.getrecords.interval.ms", "100"));
    assertTrue(e.getMessage().contains("IngestStream.getrecords.interval.ms must be a number of milliseconds of at least 200"), e.getMessage());
  }

  /**
   * The contract test, on the job's side: build the whole job (Kinesis source, SQL, sink) as main()
   * does, record every key it asks for, and compare with sql/runtime-properties.json. A key the
   * job reads but the contract lacks, or a contract key nothing reads, fails here.
   */
  @Test
  void theJobReadsExactlyTheKeysOfTheContract() {
    // With a scored stream, as the local lab runs it, so that its group is read too.
    RuntimeProperties p = Jobs.properties("IngestStream.aws.endpoint", "http://127.0.0.1:1", "ScoredStream.stream.name", "test-scored");
    ClickstreamJob.define(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment(), p);
    assertEquals(RuntimeProperties.contractKeys(), p.keysRead());
  }

  @Test
  void theSqlKeepsTheLabsStreamsAndUsesOnlyKnownParameters() {
    List<String> statements = LabSql.statements(LabSql.load(), Jobs.properties()::get);
    assertEquals(4, statements.size());
    List<String> views = List.of("CLICKSTREAM", "IMPRESSIONSTREAM", "CTRSTREAM", "DESTINATION_SQL_STREAM");
    for (int i = 0; i < 4; i++) assertTrue(statements.get(i).startsWith("CREATE TEMPORARY VIEW " + views.get(i) + " AS"), statements.get(i));
    assertTrue(statements.get(3).contains("RANDOM_CUT_FOREST(CTR, 100, 12, 100000, 1)"), statements.get(3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabSql.statements("SELECT ${IngestStream.stream.name};", Jobs.properties()::get));
    assertTrue(e.getMessage().contains("${IngestStream.stream.name}"), e.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> LabSql.statements("SELECT ${Detection.nope};", Jobs.properties()::get));
    assertTrue(unknown.getMessage().contains("Detection.nope"), unknown.getMessage());
  }
}
