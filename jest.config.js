// otplib's dependencies (@scure/base, @noble/hashes) ship only as ES modules, which Jest's CommonJS runtime cannot
// load on Node 20: swc compiles them to CommonJS along with our TypeScript.
const esmOnly = ['@scure', '@noble', 'otplib', '@otplib'];
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The AWS emulator suite needs moto and runs on its own: `npm run test:aws-emulator` (see jest.emulator.config.js);
  // the scale suite is a minute of CPU proving bounds: `npm run test:scale` (see jest.scale.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.emulator\\.test\\.ts$', '\\.scale\\.test\\.ts$'],
  // Both cores: most of the suite waits on child processes, servers and timers, not on the CPU.
  maxWorkers: 2,
  transform: { '^.+\\.(ts|js|mjs|cjs)$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 20000,
};
