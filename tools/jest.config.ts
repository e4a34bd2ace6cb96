export default {
  displayName: 'tools',
  // Also set here so `nx test tools` runs alone; under the root config it runs once.
  globalSetup: '../tools/jest/global-setup.ts',
  globalTeardown: '../tools/jest/global-teardown.ts',
  preset: '../jest.preset.js',
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
