import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
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

/** `host:port` of a URL, as reported in `metadata.server`. */
export function serverOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
