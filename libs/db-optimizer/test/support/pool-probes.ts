import type { Pool } from 'pg';
import type { ManagedPool } from '../../src/lib/pool/managed-pool';

/** The pg-pool under a ManagedPool, for tests that check what pg-pool itself sees. */
export const pgPoolOf = (pool: ManagedPool): Pool => (pool as unknown as { pool: Pool }).pool;

/** The backend process serving a client: the same pid means the same connection. */
export async function backendPid(client: { query<R>(text: string): Promise<{ rows: R[] }> }): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
}
