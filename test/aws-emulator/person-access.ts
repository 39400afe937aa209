import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { resolvedIn } from '../support/template-values';
import { ACCOUNT_ID, REGION } from './emulated-stack';
import { evaluate, type IamDecision, iamRequestsOf, type RequestFacts } from './iam-evaluation';
import type { RecordedRequest } from './moto-server';

/** The person policy as a deployment in the emulator's account and region resolves it. */
const resolved = (value: unknown) => resolvedIn(value, { account: ACCOUNT_ID, region: REGION });

/** The stack's `PersonAccessPolicy` managed policy, synthesized with `context` as cdk.json, resolved. */
export function personAccessPolicy(context: unknown = {}): { name: string; policy: unknown } {
  const outdir = mkdtempSync(join(tmpdir(), 'person-access-'));
  try {
    const { template } = synthesizeStack(outdir, context);
    const found = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy',
    );
    if (found.length !== 1) throw new Error(`expected one managed policy in the stack, found ${found.length}`);
    const [id, resource] = found[0] as [string, { Properties?: Record<string, unknown> }];
    return { name: id, policy: resolved(resource.Properties?.PolicyDocument) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** What Secrets Manager holds now, as the facts the condition keys of a person's calls are taken from. */
export async function secretFacts(client: SecretsManagerClient): Promise<RequestFacts> {
  const secrets = new Map<string, { arn: string; name: string; tags: Record<string, string> }>();
  for await (const page of paginateListSecrets({ client }, { IncludePlannedDeletion: true })) {
    for (const secret of page.SecretList ?? []) {
      const fact = {
        arn: secret.ARN ?? '',
        name: secret.Name ?? '',
        tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
      };
      secrets.set(fact.arn, fact);
      secrets.set(fact.name, fact);
    }
  }
  return { secrets, keyOfTopic: new Map(), keyOfTable: new Map(), keyArns: new Map() };
}

/** Every call a person's CLI made, evaluated against the person policy as IAM would for their role session. */
export async function evaluatePersonCalls(
  requests: readonly RecordedRequest[],
  client: SecretsManagerClient,
  policy: { name: string; policy: unknown },
): Promise<IamDecision[]> {
  const facts = await secretFacts(client);
  return evaluate(
    'person',
    requests.flatMap((request) => iamRequestsOf(request, facts)),
    [policy],
    new Map(),
    'PlatformTeamMember',
  );
}
