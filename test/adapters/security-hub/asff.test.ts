import { z } from 'zod';
import {
  ASFF_TYPES,
  archivedAsffFinding,
  asffFinding,
  asffId,
  defaultProductArn,
} from '../../../lambdas/adapters/security-hub/asff';
import { CHECK_IDS, finding } from '../../../lambdas/core/finding';
import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import type { AccountResult } from '../../../lambdas/core/scan';

const TARGET = { awsAccountId: '111122223333', region: 'eu-west-2' };
const NOW = new Date('2026-06-01T06:00:00Z');
const CONTEXT = { ...TARGET, family: 'mfa-status', now: NOW };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:press-office/x-AbCdEf';

/**
 * The required top-level attributes of the AWS Security Finding Format (Security Hub user guide, "Required top-level
 * ASFF attributes") with the API reference's types and limits, and the optional ones this project writes.
 */
const iso = z.iso.datetime({ offset: true });
const severity = z.object({
  Label: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  Original: z.string(),
});
const NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
const type = z.string().refine((value) => {
  const [namespace, category, classifier, ...rest] = value.split('/');
  return (
    NAMESPACES.includes(namespace ?? '') && category !== undefined && classifier !== undefined && rest.length === 0
  );
}, 'namespace/category/classifier, in one of ASFF namespaces');
const asffSchema = z.strictObject({
  SchemaVersion: z.literal('2018-10-08'),
  Id: z.string().min(1).max(512),
  ProductArn: z.string().regex(/^arn:aws:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/),
  GeneratorId: z.string().min(1).max(512),
  AwsAccountId: z.string().regex(/^\d{12}$/),
  Types: z.array(type).min(1).max(50),
  CreatedAt: iso,
  UpdatedAt: iso,
  Severity: severity,
  Title: z.string().min(1).max(256),
  Description: z.string().min(1).max(1024),
  Resources: z
    .array(
      z.strictObject({
        Type: z.string().min(1),
        Id: z.string().min(1).max(512),
        Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']),
        Region: z.string().min(1),
      }),
    )
    .min(1)
    .max(32),
  Remediation: z.strictObject({ Recommendation: z.strictObject({ Text: z.string().max(512) }) }).optional(),
  Compliance: z.strictObject({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']) }),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
  FindingProviderFields: z.strictObject({ Severity: severity, Types: z.array(type).min(1) }),
  ProductFields: z.record(z.string().max(128), z.string().max(2048)),
});

const account = (overrides: Partial<AccountResult> = {}): AccountResult => ({
  id: 'press-office/x',
  platform: 'x.com',
  owner: 'press-office',
  status: 'at-risk',
  worstSeverity: 'critical',
  checks: {},
  resource: SECRET_ARN,
  ...overrides,
});
const mfaOff = finding({
  accountId: 'press-office/x',
  check: 'mfa',
  kind: 'disabled',
  severity: 'critical',
  title: 'Two-factor authentication is off',
  detail: 'The owner recorded that MFA is disabled.',
  remediation: 'Turn it on.',
});

describe('ASFF', () => {
  it("writes every required attribute, within the format's limits, for every check", () => {
    for (const check of CHECK_IDS) {
      const found = finding({
        ...mfaOff,
        check,
        kind: 'k',
        severity: 'high',
        title: 'T'.repeat(300),
        detail: 'D'.repeat(2000),
        remediation: 'R'.repeat(600),
      });
      const asff = asffFinding(found, account(), CONTEXT);

      expect(asffSchema.safeParse(asff).error?.issues ?? []).toEqual([]);
    }
    expect(Object.keys(ASFF_TYPES).sort()).toEqual([...CHECK_IDS].sort());
  });

  it('keeps the same Id for the same problem across runs, and puts the secret (never its value) as the resource', () => {
    const first = asffFinding(mfaOff, account(), CONTEXT);
    const later = asffFinding(mfaOff, account(), {
      ...CONTEXT,
      now: new Date('2026-06-02T06:00:00Z'),
      firstSeen: new Map([[mfaOff.id, NOW.toISOString()]]),
    });

    expect(later.Id).toBe(first.Id);
    expect(first.Id).toBe('credential-hygiene/mfa-status/press-office/x#mfa:disabled');
    expect(later).toMatchObject({ CreatedAt: NOW.toISOString(), UpdatedAt: '2026-06-02T06:00:00.000Z' });
    expect(first).toMatchObject({
      ProductArn: 'arn:aws:securityhub:eu-west-2:111122223333:product/111122223333/default',
      GeneratorId: 'credential-hygiene/mfa',
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards/Multi-Factor Authentication'],
      Severity: { Label: 'CRITICAL', Original: 'critical' },
      Resources: [{ Type: 'AwsSecretsManagerSecret', Id: SECRET_ARN, Partition: 'aws', Region: 'eu-west-2' }],
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
    });
    expect(asffFinding(mfaOff, account({ resource: undefined }), CONTEXT).Resources).toEqual([
      { Type: 'Other', Id: 'credential-hygiene:account/press-office/x', Partition: 'aws', Region: 'eu-west-2' },
    ]);
  });

  it('gives a very long finding id a hashed Id within 512 characters, still stable', () => {
    const long = `a/${'x'.repeat(600)}#mfa:disabled`;

    expect(asffId('mfa-status', long)).toHaveLength('credential-hygiene/mfa-status/sha256-'.length + 64);
    expect(asffId('mfa-status', long)).toBe(asffId('mfa-status', long));
  });

  it('marks an accepted finding in its product fields, which an import may change, and never Workflow or Note', () => {
    const accepted = {
      ...mfaOff,
      accepted: { reason: 'retired soon', acceptedBy: 'Head of Platform', expires: '2026-06-20' },
    };
    const asff = asffFinding(accepted, account(), CONTEXT);

    expect(asff.ProductFields['credential-hygiene/accepted']).toBe(
      'until 2026-06-20, by Head of Platform: retired soon',
    );
    expect(asff).not.toHaveProperty('Workflow');
    expect(asff).not.toHaveProperty('Note');
  });

  it('archives a resolved finding as passed, under the same Id', () => {
    const state: FindingState = {
      id: mfaOff.id,
      accountId: 'press-office/x',
      check: 'mfa',
      owner: 'press-office',
      title: mfaOff.title,
      severity: 'critical',
      status: 'resolved',
      firstSeen: '2026-05-01T06:00:00.000Z',
      lastSeen: '2026-05-31T06:00:00.000Z',
      resolvedAt: NOW.toISOString(),
    };
    const archived = archivedAsffFinding(state, SECRET_ARN, CONTEXT);

    expect(asffSchema.safeParse(archived).error?.issues ?? []).toEqual([]);
    expect(archived).toMatchObject({
      Id: asffFinding(mfaOff, account(), CONTEXT).Id,
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
      CreatedAt: '2026-05-01T06:00:00.000Z',
    });
    expect(defaultProductArn(TARGET)).toBe(archived.ProductArn);
  });
});
