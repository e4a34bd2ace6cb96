/** Latencies and outcomes of a load run, overall and per request name. */
export class LoadStats {
  private readonly latencies: number[] = [];
  private recent: number[] = [];
  readonly byName = new Map<string, { count: number; errors: number; totalMs: number }>();
  readonly byStatus = new Map<string, number>();
  completed = 0;
  errors = 0;
  skipped = 0;

  record(name: string, status: number | 'network-error', durationMs: number): void {
    this.completed++;
    this.latencies.push(durationMs);
    this.recent.push(durationMs);
    // 4xx from the mix are expected now and then (a converted lead converted again); 5xx and network errors are not.
    const failed = status === 'network-error' || status >= 500;
    if (failed) this.errors++;
    const entry = this.byName.get(name) ?? { count: 0, errors: 0, totalMs: 0 };
    entry.count++;
    entry.totalMs += durationMs;
    if (failed) entry.errors++;
    this.byName.set(name, entry);
    const key = String(status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
  }

  /** Percentiles of the calls since the last call of this method (the progress line's window). */
  takeRecent(): { p50: number; p99: number; count: number } {
    const window = this.recent;
    this.recent = [];
    return { p50: percentile(window, 0.5), p99: percentile(window, 0.99), count: window.length };
  }

  overall(): { p50: number; p90: number; p99: number; max: number } {
    return {
      p50: percentile(this.latencies, 0.5),
      p90: percentile(this.latencies, 0.9),
      p99: percentile(this.latencies, 0.99),
      max: this.latencies.reduce((max, value) => Math.max(max, value), 0),
    };
  }
}

/** Nearest-rank percentile; 0 for no values. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
