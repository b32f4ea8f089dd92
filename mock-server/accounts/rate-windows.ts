/** In-memory rate limits shared by the email lookup and the email-change checks. */

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window request counters per key, in memory (one process serves the world). Bounded: expired windows are
 * swept, and when the table is full the oldest windows go first, so a flood of distinct keys cannot grow memory.
 */
export class RateWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly rule: RateLimit,
    private readonly clock: () => number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one request for `key`: 0 when allowed, else the seconds until its window ends (not counted). */
  take(key: string): number {
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.rule.windowMs) {
      this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    if (window.count >= this.rule.limit)
      return Math.max(1, Math.ceil((window.start + this.rule.windowMs - now) / 1000));
    window.count += 1;
    return 0;
  }

  private sweep(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) if (now - window.start >= this.rule.windowMs) this.windows.delete(key);
    // Maps iterate in insertion order, and a renewed window is re-inserted: the oldest windows come first.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
