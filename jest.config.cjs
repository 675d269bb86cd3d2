/** Two projects: pure units, and directory integration suites, which share one Samba DC and take turns on it. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'directory',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/directory/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/samba-global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/samba-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/directory-timeouts.ts'],
    },
  ],
};
