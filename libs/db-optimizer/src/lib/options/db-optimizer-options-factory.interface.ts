import type { DbOptimizerOptions } from './db-optimizer-options.interface';

/**
 * A class that builds the module's options, for `forRootAsync({ useClass })`.
 * @publicApi
 *
 * @example
 * @Injectable()
 * class DbConfig implements DbOptimizerOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createDbOptimizerOptions(): DbOptimizerOptions {
 *     return { primaryUrl: this.config.getOrThrow('DATABASE_PRIMARY_URL') };
 *   }
 * }
 * DbOptimizerModule.forRootAsync({ useClass: DbConfig });
 */
export interface DbOptimizerOptionsFactory {
  createDbOptimizerOptions(): DbOptimizerOptions | Promise<DbOptimizerOptions>;
}
