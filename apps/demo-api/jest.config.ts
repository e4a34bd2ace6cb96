export default {
  displayName: 'demo-api',
  // Also set here so `nx test demo-api` runs alone; under the root config it runs once.
  globalSetup: '../../tools/jest/global-setup.ts',
  globalTeardown: '../../tools/jest/global-teardown.ts',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
