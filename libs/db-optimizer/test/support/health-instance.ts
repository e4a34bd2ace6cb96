import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DbOptimizerModule, DbOptimizerOptions } from '@db-optimizer/core';
import { DbOptimizerHealthIndicator, DbOptimizerHealthModule } from '@db-optimizer/core/health';

/** The module (global, as apps register it) plus the health module, and the indicator to check. */
export async function startHealthInstance(
  options: DbOptimizerOptions,
): Promise<{ app: INestApplicationContext; indicator: DbOptimizerHealthIndicator }> {
  const moduleRef = await Test.createTestingModule({
    imports: [DbOptimizerModule.forRoot({ isGlobal: true, poolResizeIntervalMs: 0, ...options }), DbOptimizerHealthModule],
  }).compile();
  const app = await moduleRef.init();
  return { app, indicator: app.get(DbOptimizerHealthIndicator) };
}
