// How a run of the sender is stopped from outside: SIGINT (Ctrl-C) and SIGTERM become the two
// abort signals traffic/sender.ts takes.
//   SIGINT, the first:  stop taking records; the PutRecords call in flight is still delivered
//                       (with its retries) or failed, so nothing sent is left unaccounted for;
//   SIGINT, the second: cancel: abandon the call in flight, whose records count as failed
//                       ("Cancelled": they may or may not have been written);
//   SIGINT, the third:  something does not let go (a call that ignores its abort): quit at once;
//   SIGTERM:            stop and cancel together (a supervisor wants the process gone soon).

/** The signals a run answers. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Where the signals come from: `process`, or an EventEmitter in a test. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

export interface StopSignalHooks {
  /** A line to show the user (with its own newlines), on the first and second SIGINT. */
  readonly notice: (text: string) => void;
  /** The third SIGINT: leave now. The command exits 130 there; a test's hook may return. */
  readonly quit: () => void;
}

/** The sender's `signal` and `cancel` (SendOptions), driven by SIGINT and SIGTERM as the file's head says. */
export class StopSignals {
  /** Aborted at the first SIGINT or at SIGTERM: SendOptions.signal. */
  readonly stop = new AbortController();
  /** Aborted at the second SIGINT or at SIGTERM: SendOptions.cancel. */
  readonly cancel = new AbortController();
  /** The first signal received, if any: it decides the exit code (130 or 143). */
  received: StopSignal | undefined;

  constructor(private readonly hooks: StopSignalHooks) {}

  /** Ctrl-C: stop, then cancel, then quit. */
  readonly sigint = (): void => {
    this.received ??= "SIGINT";
    if (!this.stop.signal.aborted) {
      this.hooks.notice("\nStopping: finishing the batch in flight (Ctrl-C again to abandon it)…\n");
      this.stop.abort();
    } else if (!this.cancel.signal.aborted) {
      this.hooks.notice("\nAbandoning the call in flight; its records count as failed…\n");
      this.cancel.abort();
    } else {
      this.hooks.quit();
    }
  };

  /** SIGTERM: stop and cancel at once. */
  readonly sigterm = (): void => {
    this.received ??= "SIGTERM";
    this.stop.abort();
    this.cancel.abort();
  };

  /**
   * Listens to SIGINT and SIGTERM on `source` (which then no longer ends the process on them).
   * @returns a function that removes both listeners.
   */
  listen(source: SignalSource): () => void {
    source.on("SIGINT", this.sigint);
    source.on("SIGTERM", this.sigterm);
    return () => {
      source.off("SIGINT", this.sigint);
      source.off("SIGTERM", this.sigterm);
    };
  }
}
