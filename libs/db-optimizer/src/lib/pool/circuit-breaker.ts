/** How a breaker trips and probes; see `ConnectionBreakerOptions` for the meaning and defaults. */
export interface CircuitBreakerSettings {
  failureThreshold: number;
  probeBackoffMs: number;
  probeBackoffMaxMs: number;
}

/** `closed`: calls go through. `open`: they fail at once. `half_open`: one probe is under way. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * Counts connection failures of one server. After `failureThreshold` in a row it
 * opens: callers fail at once instead of each waiting for a connection that will
 * not come. After a backoff (doubling up to `probeBackoffMaxMs`) one caller goes
 * through as the probe; its success closes the breaker, its failure reopens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private backoffMs: number;
  private nextProbeAt = 0;
  private probing = false;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.backoffMs = settings.probeBackoffMs;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.probing ? 'half_open' : 'open';
  }

  /** When the breaker opened (ms since epoch), while it is not closed. */
  get openSinceMs(): number | undefined {
    return this.openedAt;
  }

  /** Connection failures in a row. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Ms until the next probe may go (0 when it may go now). */
  get nextProbeInMs(): number {
    return Math.max(0, this.nextProbeAt - this.now());
  }

  /**
   * Whether a connection attempt may go ahead. While open, the first caller
   * after the backoff becomes the probe; everyone else is refused until it ends.
   */
  tryPass(): boolean {
    if (this.openedAt === undefined) return true;
    if (this.probing || this.now() < this.nextProbeAt) return false;
    this.probing = true;
    return true;
  }

  /** The server answered. Returns true when this closed an open breaker. */
  recordSuccess(): boolean {
    const wasOpen = this.openedAt !== undefined;
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
    this.backoffMs = this.settings.probeBackoffMs;
    return wasOpen;
  }

  /** The attempt ended without a verdict on the server (a full pool's queue timed out, a login was refused): a probe may go again. */
  recordInconclusive(): void {
    this.probing = false;
  }

  /** A connection attempt failed. Returns true when this opened the breaker. */
  recordFailure(): boolean {
    this.failures++;
    if (this.openedAt !== undefined) {
      // A failed probe: wait longer before the next one.
      if (this.probing) this.backoffMs = Math.min(this.backoffMs * 2, this.settings.probeBackoffMaxMs);
      this.probing = false;
      this.nextProbeAt = this.now() + this.backoffMs;
      return false;
    }
    if (this.failures < this.settings.failureThreshold) return false;
    this.openedAt = this.now();
    this.nextProbeAt = this.openedAt + this.backoffMs;
    return true;
  }
}
