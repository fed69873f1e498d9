/**
 * The mock's notion of "now". Tests can freeze it, set it or move it, so
 * timestamps in responses are exact and assertable.
 */
export class Clock {
  private frozenAt: number | null = null;
  private offsetMs = 0;

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  freeze(at: Date = this.now()): void {
    this.frozenAt = at.getTime();
  }

  /** Jump to an instant; a frozen clock stays frozen there, a running one runs on from it. */
  set(at: Date): void {
    if (this.frozenAt !== null) this.frozenAt = at.getTime();
    else this.offsetMs = at.getTime() - Date.now();
  }

  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Real time again. */
  release(): void {
    this.frozenAt = null;
    this.offsetMs = 0;
  }

  state(): { now: string; frozen: boolean } {
    return { now: this.now().toISOString(), frozen: this.frozenAt !== null };
  }
}
