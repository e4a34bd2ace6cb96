// eslint-disable-next-line @typescript-eslint/no-require-imports
const preset = require('../../jest.preset.js') as { transform: Record<string, unknown> };

export default {
  displayName: 'db-optimizer',
  // Also set here so `nx test db-optimizer` runs alone; under the root config it runs once.
  globalSetup: '../../tools/jest/global-setup.ts',
  globalTeardown: '../../tools/jest/global-teardown.ts',
  preset: '../../jest.preset.js',
  transform: {
    ...preset.transform,
    // Kysely 0.29 ships ES modules only, which Jest's CommonJS runtime cannot load: compile them for the drop-in tests.
    '/node_modules/kysely/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true, esModuleInterop: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
