import {
  ASFF_TYPES,
  archivedAsffFinding,
  asffFinding,
  asffId,
  clip,
  defaultProductArn,
} from '../../../lambdas/adapters/security-hub/asff';
import { CHECK_IDS, finding } from '../../../lambdas/core/finding';
import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import type { AccountResult } from '../../../lambdas/core/scan';
import { asffSchema } from '../../support/asff-schema';

const TARGET = { awsAccountId: '111122223333', region: 'eu-west-2' };
const NOW = new Date('2026-06-01T06:00:00Z');
const CONTEXT = { ...TARGET, family: 'mfa-status', now: NOW };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:press-office/x-AbCdEf';

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

  it('clips long text between code points: never half an emoji, always valid UTF-8', () => {
    for (let shift = 0; shift < 4; shift++) {
      const detail = `${'x'.repeat(shift)}${'🔐'.repeat(800)}`;
      const found = finding({
        ...mfaOff,
        kind: 'disabled',
        title: '🔑'.repeat(200),
        detail,
        remediation: '✅🔒'.repeat(400),
      });
      const asff = asffFinding(found, account(), CONTEXT);

      for (const text of [asff.Title, asff.Description, asff.Remediation?.Recommendation?.Text ?? '']) {
        expect(text.isWellFormed()).toBe(true);
        expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
      }
      expect(asff.Description.length).toBeLessThanOrEqual(1024);
    }
    expect(clip('a🔐b', 3)).toBe('a…');
    expect(clip('🔐🔐', 3)).toBe('🔐…');
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

  it('names the member account that keeps the login in its resource and product fields', () => {
    const member = '444455556666';
    const memberArn = `arn:aws:secretsmanager:eu-west-2:${member}:secret:press-office/x-AbCdEf`;
    const found = { ...mfaOff, id: `${member}/press-office/x#mfa:disabled`, accountId: `${member}/press-office/x` };
    const asff = asffFinding(found, account({ id: found.accountId, keptIn: member, resource: memberArn }), CONTEXT);
    expect(asffSchema.safeParse(asff).error?.issues ?? []).toEqual([]);
    // The account it is imported in is the channel's to choose (a member's own, see the channel's tests).
    expect(asff.AwsAccountId).toBe(TARGET.awsAccountId);
    expect(asff.Resources[0]).toMatchObject({ Type: 'AwsSecretsManagerSecret', Id: memberArn });
    expect(asff.ProductFields['credential-hygiene/aws-account']).toBe(member);
    expect(asffFinding(mfaOff, account(), CONTEXT).ProductFields).not.toHaveProperty('credential-hygiene/aws-account');
  });
});
