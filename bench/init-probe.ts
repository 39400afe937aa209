import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeBundles } from './synthesized-bundles';

const bundles = synthesizeBundles(mkdtempSync(join(tmpdir(), 'probe-')));
for (const [family, fn] of Object.entries(bundles)) {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(fn.bundle)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    times.push(
      Number(
        execFileSync(process.execPath, ['-e', script], {
          env: { ...process.env, NODE_PATH: join(__dirname, '..', 'node_modules'), AWS_REGION: 'eu-west-2' },
        })
          .toString()
          .trim(),
      ),
    );
  }
  times.sort((a, b) => a - b);
  console.log(family, times[7]?.toFixed(1));
}
