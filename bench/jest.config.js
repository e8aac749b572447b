// The reliability suite runs for minutes against several processes: it has its own config
// (jest.reliability.config.js, `npm run test:reliability`) and stays out of `npm test`.
module.exports = require('../jest.base.js')(__dirname, {
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/out/', '/bin/', '\\.reliability\\.test\\.ts$'],
});
