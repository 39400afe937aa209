/**
 * A synthesized template's value as a deployment in `account` and `region` resolves it: its pseudo parameters
 * (`AWS::Partition`, `AWS::Region`, `AWS::AccountId`) and its joins. Anything else it refers to is an error: the
 * value was meant to be plain.
 */
export function resolvedIn(value: unknown, where: { readonly account: string; readonly region: string }): unknown {
  if (Array.isArray(value)) return value.map((each) => resolvedIn(each, where));
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': where.region,
      'AWS::AccountId': where.account,
    };
    const found = pseudo[String(node.Ref)];
    if (found === undefined) throw new Error(`the template value refers to ${String(node.Ref)}`);
    return found;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolvedIn(part, where))).join(separator);
  }
  return Object.fromEntries(Object.entries(node).map(([key, each]) => [key, resolvedIn(each, where)]));
}
