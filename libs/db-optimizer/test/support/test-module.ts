import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { waitFor } from '@db-optimizer/cluster';
import { DbOptimizerModule, DbOptimizerOptions, DbOptimizerService } from '@db-optimizer/core';

/** A running module instance and a way to get its services. */
export interface TestInstance {
  app: INestApplicationContext;
  db: DbOptimizerService;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/** Boots DbOptimizerModule.forRoot(options) in a Nest application context, as an app would. */
export async function startInstance(options: DbOptimizerOptions): Promise<TestInstance> {
  const moduleRef = await Test.createTestingModule({
    imports: [DbOptimizerModule.forRoot({ poolResizeIntervalMs: 0, ...options })],
  }).compile();
  const app = await moduleRef.init();
  return {
    app,
    db: app.get(DbOptimizerService),
    get: (type) => app.get(type as never),
    close: () => app.close(),
  };
}

/** Runs statements on a plain `pg` client, outside the module (setup, checks). */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Waits until every standby has replayed all the primary had written when called (DDL and rows of a
 * test's setup): reads routed to them then see it.
 */
export async function waitForReplay(primaryUrl: string, standbyUrls: readonly string[]): Promise<void> {
  const [{ lsn }] = await sql<{ lsn: string }>(primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  for (const url of standbyUrls) {
    await waitFor(async () => (await sql<{ ok: boolean }>(url, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]))[0].ok, {
      what: `replay of the setup on ${serverOf(url)}`,
    });
  }
}

/** `host:port` of a URL, as reported in `metadata.server`. */
export function serverOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
