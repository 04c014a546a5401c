/** Keeps, per commune, what a dashboard has received of the live feed, so that a reconnect asks the server for
 *  exactly what is missing and an event delivered twice (live and by a resume) is shown once.
 *  `watermark` is the highest sequence up to which nothing is missing; sequences received above it wait in `ahead`. */
export class FeedTracker {
  private readonly watermark = new Map<string, number>();
  private readonly ahead = new Map<string, Set<number>>();

  /** Starts a commune at a known sequence (from the dashboard summary or the hub's watermarks). */
  start(commune: string, lastSequence: number): void {
    if ((this.watermark.get(commune) ?? -1) < lastSequence) this.watermark.set(commune, lastSequence);
    this.settle(commune);
  }

  /** True when the event is new (show it); false when it was already received. */
  accept(commune: string, sequence: number): boolean {
    const mark = this.watermark.get(commune) ?? 0;
    if (sequence <= mark) return false;
    const set = this.ahead.get(commune) ?? new Set<number>();
    if (set.has(sequence)) return false;
    set.add(sequence);
    this.ahead.set(commune, set);
    this.settle(commune);
    return true;
  }

  /** What to send to Resume: every commune's contiguous watermark. */
  lastSeen(): Record<string, number> {
    return Object.fromEntries(this.watermark.entries());
  }

  private settle(commune: string): void {
    let mark = this.watermark.get(commune) ?? 0;
    const set = this.ahead.get(commune);
    if (!set) { this.watermark.set(commune, mark); return; }
    while (set.has(mark + 1)) { set.delete(mark + 1); mark++; }
    for (const s of [...set]) if (s <= mark) set.delete(s);
    this.watermark.set(commune, mark);
  }
}
