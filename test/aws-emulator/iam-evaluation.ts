import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT_ID, type EmulatedStack, REGION } from './emulated-stack';
import type { RecordedRequest } from './moto-server';

/** One request IAM authorises: what a function called, or what AWS did on its behalf, with the condition keys. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** Why it is made: the call itself, or the call it is made on behalf of. */
  readonly because: string;
}

export interface IamDecision extends IamRequest {
  readonly family: string;
  readonly decision: string;
}

interface SecretFact {
  readonly arn: string;
  /** Its name, for calls that name it rather than give its ARN. */
  readonly name?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly kmsKeyId?: string;
}

/** The facts of the stack a request's condition keys are taken from. */
export interface RequestFacts {
  readonly secrets: ReadonlyMap<string, SecretFact>;
  /** The key the findings topic and the lifecycle table are encrypted with, by topic ARN and table name. */
  readonly keyOfTopic: ReadonlyMap<string, string>;
  readonly keyOfTable: ReadonlyMap<string, string>;
  /** Key ARNs by key id, alias or ARN. */
  readonly keyArns: ReadonlyMap<string, string>;
  /** The organisation the accounts are in, where roles are assumed across them (`aws:ResourceOrgID`). */
  readonly organization?: { readonly id: string; readonly accounts: ReadonlySet<string> };
}

const SERVICE_PREFIX: Record<string, string> = { monitoring: 'cloudwatch', email: 'ses' };

/** What IAM authorises for one recorded request: the action, and what AWS calls on the caller's behalf. */
export function iamRequestsOf(request: RecordedRequest, facts: RequestFacts): IamRequest[] {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(request.headers.authorization ?? '');
  if (!scope) throw new Error(`unsigned request to the emulator: ${request.method} ${request.url}`);
  const service = SERVICE_PREFIX[scope[2] as string] ?? (scope[2] as string);
  const target = request.headers['x-amz-target'];
  const json = () => (request.body === '' ? {} : (JSON.parse(request.body) as Record<string, unknown>));
  const form = () => Object.fromEntries(new URLSearchParams(request.body));
  const operation = target ? (target.split('.').pop() as string) : String(form().Action);
  const call = `${service}:${operation}`;
  const on = (resource: string, context: Record<string, string | string[]> = {}, because = call): IamRequest => ({
    action: call,
    resource,
    context,
    because,
  });

  switch (service) {
    case 'secretsmanager': {
      const input = json();
      const secretRequests = (
        id: string,
        action: string,
        extra: Record<string, string | string[]> = {},
      ): IamRequest[] => {
        const secret = facts.secrets.get(id) ?? [...facts.secrets.values()].find((each) => each.name === id);
        // A secret that does not exist is answered "not found" before any permission matters here.
        if (!secret) return [];
        const tags = {
          ...Object.fromEntries(Object.entries(secret.tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
          ...extra,
        };
        const decrypt =
          secret.kmsKeyId !== undefined && action === 'secretsmanager:GetSecretValue'
            ? [
                {
                  action: 'kms:Decrypt',
                  resource: facts.keyArns.get(secret.kmsKeyId) ?? secret.kmsKeyId,
                  context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` },
                  because: `${call} of a secret encrypted with a customer key`,
                },
              ]
            : [];
        return [{ action, resource: secret.arn, context: tags, because: call }, ...decrypt];
      };
      if (operation === 'ListSecrets') return [on('*')];
      if (operation === 'BatchGetSecretValue') {
        const ids = (input.SecretIdList as string[] | undefined) ?? [];
        if (input.Filters !== undefined) throw new Error('BatchGetSecretValue with Filters is not evaluated here');
        return [on('*'), ...ids.flatMap((id) => secretRequests(id, 'secretsmanager:GetSecretValue'))];
      }
      // Tags in a request are condition keys of their own: each as aws:RequestTag/KEY, and their keys as aws:TagKeys.
      const requestTags = (tags: unknown) => {
        const list = (tags as { Key: string; Value: string }[] | undefined) ?? [];
        return {
          ...Object.fromEntries(list.map((tag) => [`aws:RequestTag/${tag.Key}`, tag.Value])),
          'aws:TagKeys': list.map((tag) => tag.Key),
        };
      };
      if (operation === 'CreateSecret') {
        // Evaluated on the secret it made (its ARN ends in a suffix AWS picks); tags in it need TagResource too.
        const made = secretRequests(String(input.Name), call, requestTags(input.Tags)).map((request) => ({
          ...request,
          context: Object.fromEntries(
            Object.entries(request.context).filter(([key]) => !key.startsWith('aws:ResourceTag/')),
          ),
        }));
        return input.Tags === undefined
          ? made
          : [...made, ...made.map((request) => ({ ...request, action: 'secretsmanager:TagResource', because: call }))];
      }
      if (operation === 'TagResource') return secretRequests(String(input.SecretId), call, requestTags(input.Tags));
      if (operation === 'UntagResource') {
        return secretRequests(String(input.SecretId), call, { 'aws:TagKeys': (input.TagKeys as string[]) ?? [] });
      }
      return secretRequests(String(input.SecretId), call);
    }
    case 'dynamodb': {
      const input = json();
      const table = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${name}`;
      const leading = (keys: string[]) => ({ 'dynamodb:LeadingKeys': [...new Set(keys)] });
      const tableKey = (name: string): IamRequest[] => {
        const key = facts.keyOfTable.get(name);
        return key === undefined
          ? []
          : [
              {
                action: 'kms:Decrypt',
                resource: key,
                context: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` },
                because: `${call} on a table encrypted with a customer key`,
              },
            ];
      };
      const pkOf = (item: unknown) => String((item as { pk: { S: string } }).pk.S);
      if (operation === 'BatchWriteItem') {
        return Object.entries(
          input.RequestItems as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>,
        ).flatMap(([name, writes]) => [
          on(table(name), leading(writes.map((write) => pkOf(write.PutRequest?.Item ?? write.DeleteRequest?.Key)))),
          ...tableKey(name),
        ]);
      }
      const name = String(input.TableName);
      if (operation === 'Query') {
        const expression = String(input.KeyConditionExpression);
        const placeholder = /pk\s*=\s*(:\w+)/.exec(expression)?.[1];
        const values = input.ExpressionAttributeValues as Record<string, { S: string }>;
        if (!placeholder || !values[placeholder]) throw new Error(`a Query not on the partition key: ${expression}`);
        return [on(table(name), leading([values[placeholder].S])), ...tableKey(name)];
      }
      const item = (input.Item ?? input.Key) as unknown;
      return [on(table(name), item === undefined ? {} : leading([pkOf(item)])), ...tableKey(name)];
    }
    case 'sns': {
      const input = target ? json() : form();
      // A call on a subscription is authorised on its topic: the subscription's ARN less its last part.
      const topic =
        input.TopicArn !== undefined
          ? String(input.TopicArn)
          : String(input.SubscriptionArn).slice(0, String(input.SubscriptionArn).lastIndexOf(':'));
      // Only publishing encrypts with the topic's key; subscribing to it does not.
      const key = operation === 'Publish' ? facts.keyOfTopic.get(topic) : undefined;
      const encrypted = (action: string): IamRequest[] =>
        key === undefined
          ? []
          : [
              {
                action,
                resource: key,
                context: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` },
                because: `${call} to a topic encrypted with a customer key`,
              },
            ];
      return [on(topic), ...encrypted('kms:GenerateDataKey'), ...encrypted('kms:Decrypt')];
    }
    case 'iam': {
      const input = form();
      return [on(`arn:aws:iam::${ACCOUNT_ID}:user/${input.UserName}`)];
    }
    case 'securityhub': {
      // REST-JSON: the operation is the path. BatchImportFindings is authorised on each finding's product.
      const path = new URL(request.url, 'http://emulator').pathname;
      if (path !== '/findings/import') throw new Error(`a Security Hub call to ${path} is not evaluated yet`);
      const findings = (json().Findings as { ProductArn: string }[] | undefined) ?? [];
      const products = [...new Set(findings.map((each) => each.ProductArn))];
      return products.map((product) => ({
        action: 'securityhub:BatchImportFindings',
        resource: product,
        context: {},
        because: 'securityhub:BatchImportFindings',
      }));
    }
    case 'sts': {
      const input = form();
      // Who the caller is needs no permission.
      if (operation === 'GetCallerIdentity') return [];
      if (operation !== 'AssumeRole') throw new Error(`an STS call ${operation} is not evaluated yet`);
      const roleArn = String(input.RoleArn);
      const account = roleArn.split(':')[4] ?? '';
      const org = facts.organization;
      return [on(roleArn, org?.accounts.has(account) ? { 'aws:ResourceOrgID': org.id } : {})];
    }
    case 'organizations': {
      // Listing accounts and units: no resource-level permission.
      if (!/^List(Accounts|AccountsForParent|OrganizationalUnitsForParent)$/.test(operation)) {
        throw new Error(`an Organizations call ${operation} is not evaluated yet`);
      }
      return [on('*')];
    }
    case 'cloudtrail': {
      // LookupEvents reads the account's event history: no resource-level permission.
      if (operation !== 'LookupEvents') throw new Error(`a CloudTrail call ${operation} is not evaluated yet`);
      return [on('*')];
    }
    default:
      throw new Error(`a call to ${call} is not evaluated yet: add it to iamRequestsOf`);
  }
}

/** The role's policies in the synthesized template, resolved: every AWS::IAM::Policy attached to it. */
export function rolePoliciesOf(stack: EmulatedStack, roleLogicalId: string): { name: string; policy: unknown }[] {
  const policies: { name: string; policy: unknown }[] = [];
  for (const [id, resource] of Object.entries(stack.template.Resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy') {
      const roles = (properties.Roles as { Ref?: string }[] | undefined) ?? [];
      if (roles.some((role) => role.Ref === roleLogicalId)) {
        policies.push({ name: id, policy: stack.resolve(properties.PolicyDocument) });
      }
    }
    if (id === roleLogicalId) {
      if (properties.ManagedPolicyArns !== undefined) {
        throw new Error(`${id} has managed policies, which this evaluation does not read`);
      }
      for (const inline of (properties.Policies as { PolicyName: string; PolicyDocument: unknown }[]) ?? []) {
        policies.push({ name: inline.PolicyName, policy: stack.resolve(inline.PolicyDocument) });
      }
    }
  }
  return policies;
}

/** The key policies of the stack's keys, resolved, by key ARN: KMS needs the key policy to allow too. */
export function keyPoliciesOf(stack: EmulatedStack): Map<string, unknown> {
  const policies = new Map<string, unknown>();
  for (const [id, resource] of Object.entries(stack.template.Resources)) {
    if (resource.Type !== 'AWS::KMS::Key') continue;
    policies.set(stack.arnOf(id), stack.resolve(resource.Properties?.KeyPolicy));
  }
  return policies;
}

/**
 * Evaluates each request against the role's identity policies (and, for the stack's own KMS keys, the key policy)
 * with @cloud-copilot/iam-simulate, as IAM would for the function's role session.
 */
export async function evaluate(
  family: string,
  requests: readonly IamRequest[],
  identityPolicies: { name: string; policy: unknown }[],
  keyPolicies: ReadonlyMap<string, unknown>,
  roleName: string,
  /**
   * A session of another account's role (a member account's read role): its account, its session name, and the
   * session policy it was assumed with, which narrows the role's policies.
   */
  session?: { readonly accountId: string; readonly sessionName: string; readonly sessionPolicy?: unknown },
): Promise<IamDecision[]> {
  const decisions: IamDecision[] = [];
  const accountId = session?.accountId ?? ACCOUNT_ID;
  for (const request of requests) {
    const keyPolicy = request.action.startsWith('kms:') ? keyPolicies.get(request.resource) : undefined;
    const outcome = await runSimulation(
      {
        request: {
          principal: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session?.sessionName ?? family}`,
          action: request.action,
          resource: { resource: request.resource, accountId },
          contextVariables: { ...request.context },
        },
        ...(session?.sessionPolicy !== undefined && { sessionPolicy: session.sessionPolicy }),
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(keyPolicy !== undefined && { resourcePolicy: keyPolicy }),
      },
      {},
    );
    if (outcome.resultType === 'error') {
      throw new Error(`IAM simulation of ${request.action} on ${request.resource} failed: ${outcome.errors.message}`);
    }
    if (outcome.resultType === 'single' && (outcome.result.ignoredContextKeys ?? []).length > 0) {
      throw new Error(
        `IAM simulation of ${request.action} ignored the context keys ${outcome.result.ignoredContextKeys?.join(', ')}: the evaluation would not be what AWS does`,
      );
    }
    decisions.push({ ...request, family, decision: outcome.overallResult });
  }
  return decisions;
}
