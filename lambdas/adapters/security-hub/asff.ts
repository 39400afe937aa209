import { createHash } from 'node:crypto';
import type { CheckId, Finding } from '../../core/finding';
import { kindOf } from '../../core/finding';
import type { FindingState } from '../../core/lifecycle/lifecycle-state';
import type { AccountResult } from '../../core/scan';
import type { Severity } from '../../core/severity';

/**
 * The AWS Security Finding Format (ASFF), as far as this project writes it: the required top-level attributes and
 * the few optional ones a security team triages by. Field limits are the API reference's.
 */
export interface AsffFinding {
  readonly SchemaVersion: '2018-10-08';
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: Severity };
  readonly Title: string;
  readonly Description: string;
  readonly Resources: readonly AsffResource[];
  readonly Remediation?: { readonly Recommendation: { readonly Text: string; readonly Url?: string } };
  /** For a derived finding: the findings of its root login that this run reports (at most ten, the API's limit). */
  readonly RelatedFindings?: readonly { readonly ProductArn: string; readonly Id: string }[];
  readonly Compliance: { readonly Status: 'PASSED' | 'FAILED' | 'WARNING' };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
  /**
   * The provider's own severity and types: after a finding is created, BatchImportFindings updates them only here
   * (the top-level ones are the customer's to change, as are Workflow and Note, which this project never sets).
   */
  readonly FindingProviderFields: {
    readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: Severity };
    readonly Types: readonly string[];
  };
  readonly ProductFields: Readonly<Record<string, string>>;
}

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface AsffResource {
  readonly Type: 'AwsSecretsManagerSecret' | 'Other';
  readonly Id: string;
  readonly Partition: string;
  readonly Region: string;
}

/**
 * The AWS partition a region belongs to, as every ARN there begins: China's regions are `aws-cn`, GovCloud's
 * `aws-us-gov`, the isolated regions' their own; every other region `aws`.
 */
export function partitionOf(region: string): string {
  const prefixes: readonly (readonly [string, string])[] = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
  ];
  return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** Where the findings go: the account, its region, and the product they are imported under. */
export interface AsffTarget {
  readonly awsAccountId: string;
  readonly region: string;
}

/** An account's own findings are imported under its default product, `product/<account>/default`. */
export function defaultProductArn({ awsAccountId, region }: AsffTarget): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${awsAccountId}:product/${awsAccountId}/default`;
}

const SEVERITY_LABELS: Readonly<Record<Severity, AsffSeverityLabel>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/**
 * Each check's finding type, in ASFF's `namespace/category/classifier` taxonomy. Kept here, with the format: the core
 * names no vendor's schema. A new check needs its line (the type system says so).
 */
export const ASFF_TYPES: Readonly<Record<CheckId, string>> = {
  'breached-password': 'Sensitive Data Identifications/Passwords/Breached Password',
  'breached-identity': 'Sensitive Data Identifications/Security/Email In A Breach',
  'weak-password': 'Software and Configuration Checks/Vulnerabilities/Weak Password',
  'reused-password': 'Software and Configuration Checks/Vulnerabilities/Reused Password',
  'password-age': 'Software and Configuration Checks/Industry and Regulatory Standards/Password Age',
  rotation: 'Software and Configuration Checks/AWS Security Best Practices/Secret Rotation',
  mfa: 'Software and Configuration Checks/Industry and Regulatory Standards/Multi-Factor Authentication',
  ownership: 'Software and Configuration Checks/AWS Security Best Practices/Ownership',
  recovery: 'Software and Configuration Checks/Vulnerabilities/Account Takeover Through Recovery',
  knowers: 'Software and Configuration Checks/AWS Security Best Practices/Credential Known To Former Staff',
  'invalid-secret': 'Software and Configuration Checks/AWS Security Best Practices/Monitoring Coverage',
  'check-error': 'Software and Configuration Checks/AWS Security Best Practices/Monitoring Coverage',
};

/** The API's limits: Title 256 characters, Description 1024, Recommendation.Text 512, Id 512. */
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;
const MAX_RECOMMENDATION = 512;
const MAX_ID = 512;
const MAX_PRODUCT_FIELD = 1024;

/**
 * At most `max` UTF-16 code units (the longer of the two ways the limit could be counted), cut between code points: a
 * cut through a surrogate pair would leave half an emoji, which is not Unicode and cannot be sent as UTF-8.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * The finding's ASFF `Id`: the same problem keeps its Security Hub finding across runs. The function family is part
 * of it, because two functions may report the same engine finding (an unreadable entry) and resolve it apart.
 */
export function asffId(family: string, findingId: string): string {
  const id = `credential-hygiene/${family}/${findingId}`;
  return id.length <= MAX_ID
    ? id
    : `credential-hygiene/${family}/sha256-${createHash('sha256').update(findingId).digest('hex')}`;
}

function resourceOf(accountId: string, resource: string | undefined, target: AsffTarget): AsffResource {
  const partition = partitionOf(target.region);
  return resource?.startsWith(`arn:${partition}:secretsmanager:`)
    ? { Type: 'AwsSecretsManagerSecret', Id: resource, Partition: partition, Region: target.region }
    : {
        Type: 'Other',
        Id: clip(`credential-hygiene:account/${accountId}`, MAX_ID),
        Partition: partition,
        Region: target.region,
      };
}

export interface AsffContext extends AsffTarget {
  /** The function family (or `cli`) that found it. */
  readonly family: string;
  /** This run: every finding's `UpdatedAt`. */
  readonly now: Date;
  /** When each finding was first seen (its lifecycle state); a finding not in it is first seen now. */
  readonly firstSeen?: ReadonlyMap<string, string>;
}

/** The API's limit on `RelatedFindings`. */
const MAX_RELATED = 10;

/**
 * For each derived finding of a report, the findings of its root login (its root action's own): what ASFF's
 * `RelatedFindings` links it to, so a triager sees the chain through the mailbox beside the mailbox's breach.
 */
export function rootFindingsOf(report: {
  readonly actions: readonly { readonly id: string; readonly account: string; readonly fixes: readonly string[] }[];
}): (found: Finding) => readonly string[] {
  const actionById = new Map(report.actions.map((action) => [action.id, action]));
  return (found) => {
    const root = found.rootAction === undefined ? undefined : actionById.get(found.rootAction);
    if (root === undefined) return [];
    const prefix = `${root.account}#`;
    return root.fixes.filter((id) => id.startsWith(prefix)).slice(0, MAX_RELATED);
  };
}

/**
 * A current finding as ASFF: active and failed; one a policy exception accepts says so, with why and until when. A
 * derived finding names its root action and links to the root's findings (`related`, finding ids of this run).
 */
export function asffFinding(
  found: Finding,
  account: AccountResult | undefined,
  context: AsffContext,
  related: readonly string[] = [],
): AsffFinding {
  const now = context.now.toISOString();
  const accepted = found.accepted;
  const productArn = defaultProductArn(context);
  return {
    ...envelope(found.id, found.check, found.severity, context),
    CreatedAt: context.firstSeen?.get(found.id) ?? now,
    Title: clip(found.title, MAX_TITLE),
    Description: clip(`${found.accountId}: ${found.detail}`, MAX_DESCRIPTION),
    Resources: [resourceOf(found.accountId, account?.resource, context)],
    Remediation: {
      Recommendation: {
        Text: clip(found.remediation, MAX_RECOMMENDATION),
        ...(found.link !== undefined && found.link.length <= MAX_ID && { Url: found.link }),
      },
    },
    ...(related.length > 0 && {
      RelatedFindings: related.map((id) => ({ ProductArn: productArn, Id: asffId(context.family, id) })),
    }),
    Compliance: { Status: found.check === 'check-error' ? 'WARNING' : 'FAILED' },
    RecordState: 'ACTIVE',
    ProductFields: {
      ...productFields(found.accountId, found.check, kindOf(found), account?.owner ?? null, context.family),
      ...(account?.keptIn !== undefined && { 'credential-hygiene/aws-account': account.keptIn }),
      ...(found.rootAction !== undefined && {
        'credential-hygiene/root-action': clip(found.rootAction, MAX_PRODUCT_FIELD),
      }),
      // Marked where an import can change it each run (Workflow cannot be, once the finding exists): a triager
      // filters on it, and it goes when the acceptance ends.
      ...(accepted && {
        'credential-hygiene/accepted': clip(
          `until ${accepted.expires}, by ${accepted.acceptedBy}: ${accepted.reason}`,
          MAX_PRODUCT_FIELD,
        ),
      }),
    },
  };
}

/** A finding the lifecycle resolved, re-imported archived and passed, so Security Hub stops listing it. */
export function archivedAsffFinding(
  state: FindingState,
  resource: string | undefined,
  context: AsffContext,
): AsffFinding {
  const now = context.now.toISOString();
  return {
    ...envelope(state.id, state.check, state.severity, context),
    CreatedAt: state.firstSeen,
    Title: clip(state.title, MAX_TITLE),
    Description: clip(`${state.accountId}: fixed; found no longer on ${state.resolvedAt ?? now}.`, MAX_DESCRIPTION),
    Resources: [resourceOf(state.accountId, resource, context)],
    Compliance: { Status: 'PASSED' },
    RecordState: 'ARCHIVED',
    ProductFields: productFields(state.accountId, state.check, kindOf(state), state.owner, context.family),
  };
}

/**
 * What every finding of this project says the same way: its identity, its product, its type and severity, now. Its
 * `AwsAccountId` is the importing account's: with the default product ARN, Security Hub takes a finding only from the
 * account it names. A login kept in a member account names that account in its resource (the secret's ARN) and in
 * `credential-hygiene/aws-account`.
 */
function envelope(findingId: string, check: CheckId, severity: Severity, context: AsffContext) {
  const asffSeverity = { Label: SEVERITY_LABELS[severity], Original: severity };
  const types = [ASFF_TYPES[check]];
  return {
    SchemaVersion: '2018-10-08',
    Id: asffId(context.family, findingId),
    ProductArn: defaultProductArn(context),
    GeneratorId: `credential-hygiene/${check}`,
    AwsAccountId: context.awsAccountId,
    Types: types,
    UpdatedAt: context.now.toISOString(),
    Severity: asffSeverity,
    FindingProviderFields: { Severity: asffSeverity, Types: types },
  } as const;
}

function productFields(accountId: string, check: string, kind: string, owner: string | null, family: string) {
  return {
    'credential-hygiene/account': clip(accountId, MAX_PRODUCT_FIELD),
    'credential-hygiene/check': check,
    'credential-hygiene/kind': kind,
    'credential-hygiene/owner': clip(owner ?? 'none', MAX_PRODUCT_FIELD),
    'credential-hygiene/family': family,
  };
}
