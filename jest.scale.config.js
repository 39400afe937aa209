const base = require('./jest.config');

/**
 * The scale suite: an inventory at its bound (100,000 entries), 150,000 findings in every format and in owner digests.
 * A minute of CPU that proves bounds, not behaviour: it runs on its own (`npm run test:scale`), and CI runs it.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.scale.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180000,
};
