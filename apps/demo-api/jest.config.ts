export default {
  displayName: 'demo-api',
  // Also set here so `nx test demo-api` runs alone; under the root config it runs once.
  globalSetup: '../../tools/jest/global-setup.ts',
  globalTeardown: '../../tools/jest/global-teardown.ts',
  preset: '../../jest.preset.js',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // Kysely 0.29 (the lead search) ships ES modules only, which Jest's CommonJS runtime cannot
    // load: compile them here. Node itself loads it with require() (node >= 20.19), so `npm start` needs nothing.
    '/node_modules/kysely/.+\\.js$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.esm-deps.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
