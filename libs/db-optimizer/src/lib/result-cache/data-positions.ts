import type { PoolRole } from '../core/pool-role';
import { laterLsn, PRIMARY_ONLY_LSN } from '../core/lsn';
import type { ReplicaState } from '../routing/replica-state';

/** Where a load ran, as its result's metadata says. */
export interface LoadedFrom {
  poolUsed: PoolRole;
  server: string;
}

/** Gives a loaded result the WAL position its entry records. */
export type PositionOfLoad = (loaded: LoadedFrom) => bigint | undefined;

/**
 * Lower bounds of the WAL position a load's data includes, without asking the server
 * again. Every position here is read BEFORE the load starts, which is what makes it a
 * lower bound:
 *
 * - On a replica, `pg_last_wal_replay_lsn()` only grows and every commit at or before it
 *   is visible to a new snapshot (the position moves after the record is applied). So
 *   the replay position last seen (lag monitor or a read's probe) before the load, and
 *   the position the load was routed to have replayed, both bound the data from below.
 * - On the primary, a commit record can be written (and counted in the insert position)
 *   before its transaction becomes visible. A position P read before the load is still a
 *   strict bound: a token T (also an insert position, read after its write was visible)
 *   with T < P was read before P was, so its write was visible before the load began.
 *   T = P is the one case that could hide a write in flight, hence P - 1. The positions
 *   used are the load's required one and the latest this instance has heard of (writes'
 *   tokens, outside changes, epoch bumps), all insert positions read before the load.
 *
 * The bound is never later than the data, so the worst a stale bound does is send a
 * read that needed no fresh load to the database.
 */
export class DataPositions {
  constructor(
    private readonly replicas: () => readonly ReplicaState[],
    private readonly latestHeard: () => bigint | undefined,
  ) {}

  /** Call right before a load routed to have replayed `loadLsn`; the result maps where it ran to its position. */
  before(loadLsn: bigint | undefined): PositionOfLoad {
    const replayed = new Map<string, bigint>();
    for (const replica of this.replicas()) {
      if (replica.replayLsn !== null) replayed.set(replica.pool.server, replica.replayLsn);
    }
    // PRIMARY_ONLY_LSN stands for a position nobody knows: it bounds nothing.
    const known = loadLsn === PRIMARY_ONLY_LSN ? undefined : loadLsn;
    const onPrimary = laterLsn(known, this.latestHeard());
    return (loaded) => {
      if (loaded.poolUsed === 'primary') return onPrimary === undefined || onPrimary === 0n ? undefined : onPrimary - 1n;
      return laterLsn(replayed.get(loaded.server), known);
    };
  }
}
