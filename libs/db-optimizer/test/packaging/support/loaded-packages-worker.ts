// A fresh app process for redis-packages-loaded.spec.ts: nothing loaded yet but Node, ts-node and
// this file, so require.cache shows exactly what the library loads. It boots the module with the
// options in LOADED_PACKAGES_OPTIONS, runs a query twice (the second may be a cache hit), and
// prints one JSON line: the packages under node_modules that were loaded meanwhile.
// Run with `node -r ./tools/register.js` (the spec does it); not a test file.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DbOptimizerModule, DbOptimizerService, ResultCacheService } from '@db-optimizer/core';
import type { DbOptimizerOptions } from '@db-optimizer/core';

/** The package a module file belongs to: the name after its last `node_modules/`. */
function packageOf(file: string): string | undefined {
  const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env['LOADED_PACKAGES_OPTIONS'] ?? '') as DbOptimizerOptions;
  const app = await NestFactory.createApplicationContext(DbOptimizerModule.forRoot({ poolResizeIntervalMs: 0, ...options }), { logger: ['error'] });
  try {
    const db = app.get(DbOptimizerService);
    const first = await db.executeOptimizedQuery<{ n: number }>('SELECT $1::int AS n', [7]);
    const second = await db.executeOptimizedQuery<{ n: number }>('SELECT $1::int AS n', [7]);
    const packages = [...new Set(Object.keys(require.cache).flatMap((file) => packageOf(file) ?? []))].sort();
    const answer = { rows: [first.rows[0].n, second.rows[0].n], cached: second.metadata.cached, redisHealthy: app.get(ResultCacheService).redisHealthy, packages };
    console.log(JSON.stringify(answer));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
