/**
 * Group commit: callers ask for "a write that starts after now". While one
 * write runs, every request that arrives joins a single follow-up write, so a
 * burst of N mutations costs at most two serialisations instead of N, and
 * each caller still resolves only once its own change is on disk.
 */
export class CoalescingWriter {
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly flush: () => Promise<void>) {}

  request(): Promise<void> {
    if (this.next) return this.next;
    if (!this.current) return this.start();
    const settled = this.current.then(
      () => undefined,
      () => undefined,
    );
    this.next = settled.then(() => {
      this.next = null;
      return this.start();
    });
    return this.next;
  }

  /** Resolves when nothing is being written or waiting to be. */
  async idle(): Promise<void> {
    while (this.current || this.next) {
      await (this.next ?? this.current)?.catch(() => undefined);
    }
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.flush().finally(() => {
      if (this.current === run) this.current = null;
    });
    this.current = run;
    return run;
  }
}
