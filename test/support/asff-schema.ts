import * as z from 'zod';

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
export const asffSchema = z.strictObject({
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
  Remediation: z
    .strictObject({
      Recommendation: z.strictObject({ Text: z.string().max(512), Url: z.url({ protocol: /^https$/ }).optional() }),
    })
    .optional(),
  // AwsSecurityFinding.RelatedFindings: at most 10, each a ProductArn and an Id of 1 to 512 characters.
  RelatedFindings: z
    .array(z.strictObject({ ProductArn: z.string().min(1).max(512), Id: z.string().min(1).max(512) }))
    .max(10)
    .optional(),
  Compliance: z.strictObject({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']) }),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
  FindingProviderFields: z.strictObject({ Severity: severity, Types: z.array(type).min(1) }),
  ProductFields: z.record(z.string().max(128), z.string().max(2048)),
});
