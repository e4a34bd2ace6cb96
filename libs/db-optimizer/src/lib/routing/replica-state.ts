import type { ManagedPool } from '../pool/managed-pool';

/** Why and until when a replica gets no reads. */
export interface ReplicaBan {
  reason: string;
  sinceMs: number;
  untilMs: number;
  /** Failed health checks since the ban began; the ban doubles with each. */
  failedChecks: number;
}

/**
 * What the router knows of one replica: banned after failures, excluded while
 * lagging, and how far it has replayed (for read-your-writes).
 */
export class ReplicaState {
  ban: ReplicaBan | undefined;
  lagExcluded = false;
  lagBytes: number | null = null;
  lagMs: number | null = null;
  /** Last replay position seen (lag monitor or a read's probe); null while unknown. */
  replayLsn: bigint | null = null;
  /** When `replayLsn` was last read (ms since epoch). */
  replayCheckedAt = 0;
  /** Replay probes that failed in a row (pool exhausted, replica unreachable); each doubles the wait before the next. */
  replayProbeFailures = 0;
  /** No replay probe before this time (ms since epoch): failed probes back off instead of slowing every read. */
  replayProbeRetryAt = 0;
  /**
   * While the primary is unreachable: the time (ms since epoch) up to which this
   * replica's data is known complete, from what it says of itself. Undefined
   * while the primary answers (lag is then measured against it).
   */
  freshAsOfMs: number | undefined;
  badLagChecks = 0;
  goodLagChecks = 0;
  banCount = 0;

  /** @param maxStalenessMs how old `freshAsOfMs` may get before the replica stops serving reads */
  constructor(
    readonly pool: ManagedPool,
    private readonly maxStalenessMs = Number.POSITIVE_INFINITY,
  ) {}

  get name(): string {
    return this.pool.name;
  }

  get usable(): boolean {
    return this.ban === undefined && !this.lagExcluded && !this.pool.ended && this.withinStaleness();
  }

  /** Serving reads without the primary to compare with: metadata.degraded. */
  get degraded(): boolean {
    return this.freshAsOfMs !== undefined;
  }

  private withinStaleness(): boolean {
    return this.freshAsOfMs === undefined || Date.now() - this.freshAsOfMs <= this.maxStalenessMs;
  }

  /** Whether this replica has replayed at least up to `lsn`. */
  hasReplayed(lsn: bigint | undefined): boolean {
    if (lsn === undefined) return true;
    return this.replayLsn !== null && this.replayLsn >= lsn;
  }

  /** Connections in use or awaited: the router prefers the least loaded replica. */
  get load(): number {
    return this.pool.busyCount + this.pool.waitingCount;
  }
}
