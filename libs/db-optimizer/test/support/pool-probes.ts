import type { Pool } from 'pg';
import { waitFor } from '@db-optimizer/cluster';
import type { ManagedPool } from '../../src/lib/pool/managed-pool';

/** The pg-pool under a ManagedPool, for tests that check what pg-pool itself sees. */
export const pgPoolOf = (pool: ManagedPool): Pool => (pool as unknown as { pool: Pool }).pool;

/** The backend process serving a client: the same pid means the same connection. */
export async function backendPid(client: { query<R>(text: string): Promise<{ rows: R[] }> }): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
}

/** How long a background borrower (the lag monitor's checks, the auto-sizing job's `SHOW max_connections`) may hold a client. */
const BACKGROUND_BORROW_MS = 2000;

/**
 * Asserts that no client of `pool` is left checked out and no caller waits. The module's own
 * background work borrows a client for a moment now and then (the lag monitor checks the primary
 * and the replicas every second, the auto-sizing job reads `max_connections` every 10 s), so this
 * waits up to 2 s for the pool to settle: a client left out stays busy and still fails it, a
 * background borrower gives its client back.
 */
export async function expectPoolSettled(pool: Pick<ManagedPool, 'busyCount' | 'waitingCount'>): Promise<void> {
  await waitFor(() => pool.busyCount === 0 && pool.waitingCount === 0, { timeoutMs: BACKGROUND_BORROW_MS, what: 'every client back in the pool' }).catch(
    () => undefined,
  );
  expect(pool.busyCount).toBe(0);
  expect(pool.waitingCount).toBe(0);
}
