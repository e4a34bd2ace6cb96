import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, Histogram } from 'hdr-histogram-js';

/** Highest recordable latency: one hour, in microseconds. Larger values are clamped. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

/** Options of `LatencyHistogram`. */
export interface LatencyHistogramOptions {
  /**
   * Decimal digits of precision. 2 (within 1%) costs ~27 KiB; 1 (within ~6%,
   * ~5 KiB) suits the many small per-fingerprint histograms.
   * @default 2
   */
  significantDigits?: 1 | 2 | 3;
}

/**
 * Latency percentiles in bounded memory (HDR histogram), recording in
 * constant time. Values are kept in microseconds and reported in milliseconds.
 *
 * Counts are 64-bit floats: a long-lived histogram of a hot service would wrap
 * 32-bit counters (4.3 billion calls in one bucket) silently.
 */
export class LatencyHistogram {
  private readonly hdr: Histogram;
  /**
   * Recordings of the smallest value (1 µs or less), not yet in `hdr`. Most recordings on
   * the hot path are that (a warm pool checkout), and a plain increment costs a fraction
   * of HDR's bucket arithmetic; they join the histogram, all at once, when it is read.
   */
  private smallest = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    this.hdr = build({
      bitBucketSize: 64,
      // Fixed range: memory never grows, whatever is recorded (values are clamped).
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_TRACKABLE_US,
      numberOfSignificantValueDigits: options.significantDigits ?? 2,
    });
  }

  /** Records one duration; NaN or negative counts as the smallest value, beyond one hour as one hour. */
  recordMs(durationMs: number): void {
    const micros = Math.round(durationMs * 1000);
    // `!(x > 1)` also catches NaN, which would corrupt the counts.
    if (!(micros > 1)) {
      this.smallest++;
      return;
    }
    this.hdr.recordValue(micros > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : micros);
  }

  /** Records `count` durations of the smallest value (1 µs or less) at once. */
  recordSmallest(count: number): void {
    if (count > 0) this.smallest += count;
  }

  /** The HDR histogram with every recording in it. */
  private get histogram(): Histogram {
    if (this.smallest > 0) {
      this.hdr.recordValueWithCount(1, this.smallest);
      this.smallest = 0;
    }
    return this.hdr;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Percentile in ms (0 when empty). */
  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  get meanMs(): number {
    return this.count === 0 ? 0 : this.histogram.mean / 1000;
  }

  get maxMs(): number {
    return this.count === 0 ? 0 : this.histogram.maxValue / 1000;
  }

  get minMs(): number {
    return this.count === 0 ? 0 : this.histogram.minNonZeroValue / 1000;
  }

  /** Adds every value of `other` to this histogram (merging rolling-window slots). */
  add(other: LatencyHistogram): void {
    if (other.count > 0) this.histogram.add(other.histogram);
  }

  /** The counts in HdrHistogram's compressed base64 form, for another process to `addEncoded`. */
  encode(): string {
    return encodeIntoCompressedBase64(this.histogram);
  }

  /**
   * Adds the counts of an `encode()`d histogram: counts add bucket by bucket, so the sum
   * of several instances' histograms answers percentiles as one histogram of all their
   * samples would (never an average of percentiles). Throws on text that is not one.
   */
  addEncoded(text: string): void {
    const other = decodeFromCompressedBase64(text, 64);
    try {
      if (other.totalCount > 0) this.histogram.add(other);
    } finally {
      other.destroy();
    }
  }

  reset(): void {
    this.smallest = 0;
    this.hdr.reset();
  }
}
