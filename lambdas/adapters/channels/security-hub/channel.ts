import * as z from '../../../core/zod';
import type { ChannelModule } from '../channel-module';

/** `arn:aws:securityhub:<region>:<account>:product/<account>/default`: an account's own findings' product. */
const DEFAULT_PRODUCT = /^arn:aws[a-z-]*:securityhub:([a-z0-9-]+):(\d{12}):product\/\2\/default$/;
const PRODUCT_ARN_VARIABLE = 'SECURITY_HUB_PRODUCT_ARN';

const settingsSchema = z.strictObject(
  { enabled: z.boolean({ error: 'must be true or false' }) },
  { error: 'must be an object with enabled' },
);

/** Where its findings are imported: the account and region of the default product. */
export interface SecurityHubTarget {
  readonly awsAccountId: string;
  readonly region: string;
}

/**
 * AWS Security Hub (CSPM): every function's findings imported under the account's default product, where a security
 * team triages. Off by default (`securityHub.enabled`).
 */
export const securityHub: ChannelModule<z.infer<typeof settingsSchema>, SecurityHubTarget> = {
  id: 'security-hub',
  name: 'AWS Security Hub',
  settingsKey: 'securityHub',
  settingsSchema,
  defaultSettings: { enabled: false },
  isOn: (settings) => settings.enabled,
  environmentOf: (_settings, where) => ({ [PRODUCT_ARN_VARIABLE]: productArn(where) }),
  targetOf: (environment) => {
    const arn = environment[PRODUCT_ARN_VARIABLE];
    if (arn === undefined) return undefined;
    const [, region, awsAccountId] = DEFAULT_PRODUCT.exec(arn) ?? [];
    if (region === undefined || awsAccountId === undefined) {
      throw new RangeError(`${PRODUCT_ARN_VARIABLE}: must be the account's default Security Hub product ARN`);
    }
    return { awsAccountId, region };
  },
  // Only its own findings, under the account's default product: nothing else in Security Hub.
  grantsFor: (_settings, where) => [{ actions: ['securityhub:BatchImportFindings'], resources: [productArn(where)] }],
  problemsMetric: { name: 'SecurityHubImportProblems', title: 'Findings Security Hub did not take, by kind' },
  // A member's findings under the member's own default product: Security Hub takes them only from that account.
  memberGrants: ({ partition, account }) => [
    {
      Sid: 'ImportFindingsUnderTheDefaultProduct',
      Effect: 'Allow',
      Action: ['securityhub:BatchImportFindings'],
      Resource: `arn:${partition}:securityhub:*:${account}:product/${account}/default`,
    },
  ],
};

function productArn(where: Parameters<typeof securityHub.environmentOf>[1]): string {
  return where.formatArn({ service: 'securityhub', resource: 'product', resourceName: `${where.account}/default` });
}
