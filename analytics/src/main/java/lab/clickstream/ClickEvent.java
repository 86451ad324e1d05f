package lab.clickstream;

/** A parsed KDG record: what the lab's SQL reads (browseraction); the time travels as the record's timestamp. */
public class ClickEvent {
  public String browseraction;

  public ClickEvent() {}

  public ClickEvent(String browseraction) {
    this.browseraction = browseraction;
  }
}
