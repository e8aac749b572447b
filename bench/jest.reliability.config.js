module.exports = require('../jest.base.js')(__dirname, {
  displayName: 'reliability',
  testMatch: ['<rootDir>/**/*.reliability.test.ts'],
  // The default run takes about a minute; SWB_RELIABILITY_LEASE_WAIT=1 waits out a 10-minute queue lease.
  testTimeout: 16 * 60_000,
});
