const base = require('./jest.config');

/**
 * The AWS emulator suite: the synthesized stack's bundles run against moto, every call evaluated against its role.
 * It uses the moto server named by MOTO_ENDPOINT (as .ci/run starts one), or starts test/aws-emulator/moto_launcher.py.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.emulator.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180000,
};
