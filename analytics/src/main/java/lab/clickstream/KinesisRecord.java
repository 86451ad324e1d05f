package lab.clickstream;

/** One record as Kinesis delivered it: its bytes and its approximate arrival time. */
public class KinesisRecord implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public byte[] data;
  /** Kinesis's ApproximateArrivalTimestamp, epoch milliseconds: the job's event time. */
  public long arrivalMillis;

  public KinesisRecord() {}

  public KinesisRecord(byte[] data, long arrivalMillis) {
    this.data = data;
    this.arrivalMillis = arrivalMillis;
  }
}
