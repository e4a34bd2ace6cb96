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
  badLagChecks = 0;
  goodLagChecks = 0;
  banCount = 0;

  constructor(readonly pool: ManagedPool) {}

  get name(): string {
    return this.pool.name;
  }

  get usable(): boolean {
    return this.ban === undefined && !this.lagExcluded && !this.pool.ended;
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
