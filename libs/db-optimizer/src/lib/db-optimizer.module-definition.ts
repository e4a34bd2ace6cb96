import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DbOptimizerOptions } from './options/db-optimizer-options.interface';

/**
 * `forRoot` / `forRootAsync` (useFactory, useClass, useExisting) with
 * `isGlobal` as an extra, as in @nestjs/cache-manager.
 */
export const {
  ConfigurableModuleClass: DbOptimizerConfigurableModule,
  MODULE_OPTIONS_TOKEN: DB_OPTIMIZER_OPTIONS,
  OPTIONS_TYPE: DB_OPTIMIZER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DB_OPTIMIZER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DbOptimizerOptions>({ moduleName: 'DbOptimizer' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDbOptimizerOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
