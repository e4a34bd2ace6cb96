import { Pool } from 'pg';
import { waitFor } from '@db-optimizer/cluster';

/** Replicas must hold a freshly loaded table before a workload reads it there. */
export async function waitForTableOnReplicas(replicaUrls: string[], table: string, rows: number): Promise<void> {
  for (const url of replicaUrls) {
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await waitFor(
        async () => (await pool.query(`SELECT count(*)::int AS n FROM ${table}`).catch(() => ({ rows: [{ n: -1 }] }))).rows[0].n === rows,
        { timeoutMs: 30_000, what: `${table} on ${new URL(url).host}` },
      );
    } finally {
      await pool.end();
    }
  }
}
