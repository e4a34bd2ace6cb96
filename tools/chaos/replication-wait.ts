import type { PgNode } from '@db-optimizer/cluster';
import { sleep } from './pacer';

/**
 * Waits until every running standby has replayed what the primary had inserted into its WAL
 * when the wait began (every commit before it, one made with synchronous_commit off too, which
 * can lie past the written position): the end of a fault's recovery. Returns false instead of
 * throwing when it takes longer than `timeoutMs`, so the run reports it.
 */
export async function standbysCaughtUp(primary: PgNode, standbys: readonly PgNode[], timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let target: string | undefined;
  while (Date.now() < deadline) {
    try {
      target ??= (await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn', [], 'chaos-admin'))[0].lsn;
      const behind = await Promise.all(
        standbys
          .filter((node) => node.running)
          .map(async (node) => {
            const [row] = await node.query<{ behind: boolean }>(
              'SELECT coalesce(pg_last_wal_replay_lsn() < $1::pg_lsn, true) AS behind',
              [target],
              'chaos-admin',
            );
            return row.behind;
          }),
      );
      if (!behind.includes(true)) return true;
    } catch {
      // A node still starting up: try again.
    }
    await sleep(100);
  }
  return false;
}
