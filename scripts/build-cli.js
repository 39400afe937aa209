// Bundles the CLI into one file with esbuild: `npm run build` writes dist/credential-hygiene.js (the package's bin).
const { build } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** @param {string} outfile */
async function buildCli(outfile) {
  await build({
    entryPoints: [join(root, 'bin/credential-hygiene.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

module.exports = { buildCli };

if (require.main === module) {
  buildCli(join(root, 'dist/credential-hygiene.js')).catch(() => {
    process.exitCode = 1;
  });
}
