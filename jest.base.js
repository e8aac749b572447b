// Shared Jest settings: every workspace's jest.config.js spreads this, so the
// @switchboard/* paths resolve to source exactly as tsconfig.json's paths do.
const path = require('node:path');

const root = __dirname;

module.exports = function base(dir, overrides = {}) {
  return {
    displayName: path.relative(root, dir) || 'root',
    rootDir: dir,
    testEnvironment: 'node',
    // Many suites start real servers (emulator, Azurite, Chromium) on a 2-core machine
    // shared with other work; 5 s is a guess about machine load, not a behaviour.
    testTimeout: 60_000,
    testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.test.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/', '/out/', '/bin/'],
    transform: {
      '^.+\\.tsx?$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.json') }],
    },
    moduleNameMapper: {
      '^@switchboard/(core|solution|plugins|functions)$': `${root}/$1/src/index.ts`,
      '^@switchboard/(core|solution|plugins|functions|dev)/(.*)$': `${root}/$1/src/$2`,
    },
    ...overrides,
  };
};
