// '@db-optimizer/core/health': the Terminus health indicator, apart from the main entry so
// that apps without @nestjs/terminus (an optional peer) never load it.
export { DbOptimizerHealthModule } from './lib/health/db-optimizer-health.module';
export { DbOptimizerHealthIndicator } from './lib/health/db-optimizer.health';
export type { DbOptimizerHealthCheckOptions } from './lib/health/db-optimizer.health';
