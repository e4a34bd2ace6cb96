import type { Config } from 'jest';

/**
 * `npm test`: every project's tests in one run, against one real PostgreSQL
 * cluster and one Redis started by the global setup.
 */
const config: Config = {
  projects: ['<rootDir>/libs/db-optimizer', '<rootDir>/apps/demo-api', '<rootDir>/tools'],
  globalSetup: '<rootDir>/tools/jest/global-setup.ts',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
};

export default config;
