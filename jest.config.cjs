/**
 * Two projects: unit suites, and directory integration suites (`*.dc.test.ts`), which share one Samba DC
 * and take turns on it. The test tree mirrors the source tree.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.dc\\.test\\.ts$'],
    },
    {
      displayName: 'directory',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.dc.test.ts'],
      globalSetup: '<rootDir>/test/harness/samba-global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/samba-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/directory-timeouts.ts'],
    },
  ],
};
