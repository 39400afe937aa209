import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, channelsOn, channelTargetsOf } from '../../lambdas/adapters/channels/registry';
import { EnvironmentError, readEnvironment } from '../../lambdas/shared/environment';
import { readConfig } from '../../lib/config';

const ROOT = join(__dirname, '../..');
const PRODUCT = 'arn:aws:securityhub:eu-west-2:111122223333:product/111122223333/default';

describe('Channels: one declaration each, and a registry the rest loops over', () => {
  it.each([
    'lib/config.ts',
    'lib/credential-hygiene-stack.ts',
    'lib/constructs/monitoring-dashboard.ts',
    'lambdas/shared/environment.ts',
    'lambdas/shared/check-run-handler.ts',
    'lambdas/shared/powertools-run-metrics.ts',
    'bin/cli/main.ts',
    'bin/cli/scan-command.ts',
  ])('%s names no optional channel', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8').toLowerCase();
    const names = CHANNELS.flatMap(({ channel }) => [channel.id, channel.name, channel.settingsKey]);

    expect(names.filter((name) => source.includes(name.toLowerCase()))).toEqual([]);
  });

  it('reads each channel under its settings key, off by default', () => {
    expect(channelsOn(readConfig({}).channels)).toEqual([]);
    expect(channelsOn(readConfig({ securityHub: { enabled: true } }).channels).map((each) => each.id)).toEqual([
      'security-hub',
    ]);
  });

  it("reads a channel's target from a function's environment, and names a bad one", () => {
    const base = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:findings' };

    expect(channelTargetsOf({ SECURITY_HUB_PRODUCT_ARN: PRODUCT }).get('security-hub')).toEqual({
      awsAccountId: '111122223333',
      region: 'eu-west-2',
    });
    expect(readEnvironment(base).channelTargets.size).toBe(0);
    expect(() =>
      readEnvironment({ ...base, SECURITY_HUB_PRODUCT_ARN: 'arn:aws:securityhub:eu-west-2:1:product/2/default' }),
    ).toThrow(EnvironmentError);
  });
});
