import { SafeToShowError } from '../../../core/safe-to-show-error';
import type { ChannelCliFormat } from '../../cli-part';
import type { AsffTarget } from '../../security-hub/asff';
import { SecurityHubChannel, type SecurityHubChannelOptions } from '../../security-hub/security-hub-channel';

/** `--aws-account-id` or `--region` missing or malformed: an ASFF finding cannot be written without them. */
export class AsffOptionsError extends SafeToShowError {
  override readonly name = 'AsffOptionsError';
}

/**
 * `--format asff`: the Security Hub channel, importing into a recorder instead of Security Hub: what it would have
 * imported, each batch of at most 100 as one line, `{"Findings": [...]}`, ready for `aws securityhub
 * batch-import-findings --cli-input-json`. With `--state`, the findings fixed since the last run are there too,
 * archived, and each finding's `CreatedAt` is when it was first seen.
 */
export const asffFormat: ChannelCliFormat = {
  format: 'asff',
  description:
    'AWS Security Hub findings, one BatchImportFindings input of at most 100 a line, with --aws-account-id and --region',
  options: [
    {
      flags: '--aws-account-id <id>',
      description: 'with --format asff: the AWS account the findings are imported into',
    },
    {
      flags: '--region <region>',
      description: 'with --format asff: the region of the Security Hub they are imported into',
    },
  ],
  open: (options) => {
    const target = asffTargetOf(options);
    const lines: string[] = [];
    const channel = new SecurityHubChannel({
      ...target,
      client: {
        send: async (command: { readonly input: { readonly Findings?: unknown } }) => {
          lines.push(JSON.stringify({ Findings: command.input.Findings ?? [] }));
          return { FailedCount: 0, SuccessCount: 0, FailedFindings: [] };
        },
      } as unknown as SecurityHubChannelOptions['client'],
      onProblem: () => {},
    });
    return { channel, document: () => lines.map((line) => `${line}\n`) };
  },
};

/** `--aws-account-id` and `--region`, each checked, every problem named. */
function asffTargetOf(options: Readonly<Record<string, unknown>>): AsffTarget {
  const { awsAccountId, region } = options;
  const problems = [
    ...(typeof awsAccountId !== 'string' || !/^\d{12}$/.test(awsAccountId)
      ? ['--aws-account-id: --format asff needs the 12-digit AWS account the findings are imported into']
      : []),
    ...(typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)
      ? ['--region: --format asff needs the region of the Security Hub they are imported into (eu-west-2)']
      : []),
  ];
  if (problems.length > 0) throw new AsffOptionsError(problems.join('\n'));
  return { awsAccountId: awsAccountId as string, region: region as string };
}
