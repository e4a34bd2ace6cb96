import { parseLsn } from '../core/lsn';
import type { ReplicaState } from './replica-state';

/** A replica seen behind this recently is not asked again: under real lag, reads go straight to the primary. */
const RECHECK_AFTER_MS = 20;
/** After a failed probe, the next one waits this long, doubling with each failure in a row up to the cap. */
const PROBE_BACKOFF_MS = 1000;
const PROBE_BACKOFF_MAX_MS = 30_000;

/**
 * Asks a replica how far it has replayed, when the lag monitor's last answer
 * is too old to serve a read-your-writes read. Replay usually trails by well
 * under a millisecond, so one cheap round trip to the replica spares the
 * primary the read. Returns whether the replica has reached `requiredLsn`.
 */
export async function hasReplayedNow(replica: ReplicaState, requiredLsn: bigint): Promise<boolean> {
  if (replica.hasReplayed(requiredLsn)) return true;
  const now = Date.now();
  if (now - replica.replayCheckedAt < RECHECK_AFTER_MS || now < replica.replayProbeRetryAt) return false;
  try {
    const { rows } = await replica.pool.withClient((client) =>
      client.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
    );
    const lsn = rows[0].lsn === null ? undefined : parseLsn(rows[0].lsn);
    replica.replayCheckedAt = Date.now();
    if (lsn !== undefined && (replica.replayLsn === null || lsn > replica.replayLsn)) replica.replayLsn = lsn;
    replica.replayProbeFailures = 0;
  } catch {
    // Each read would otherwise wait acquireTimeoutMs again before going to the primary.
    replica.replayProbeFailures++;
    replica.replayProbeRetryAt = Date.now() + Math.min(PROBE_BACKOFF_MS * 2 ** (replica.replayProbeFailures - 1), PROBE_BACKOFF_MAX_MS);
    return false;
  }
  return replica.hasReplayed(requiredLsn);
}
