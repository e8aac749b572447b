module.exports = require('../jest.base.js')(__dirname, {
  displayName: 'reliability',
  testMatch: ['<rootDir>/**/*.reliability.test.ts'],
  testTimeout: 10 * 60_000,
});
