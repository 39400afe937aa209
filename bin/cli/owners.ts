import { describeIssues } from '../../lambdas/core/validation-problems';
import { escalationContactsOf, ownersSchema, routedOwnerIds } from '../../lambdas/shared/owner-recipients';
import { readSettingsFile } from './settings-file';
import { UsageError } from './usage-error';

/**
 * The owner ids that have recipients, from an owners file (`--owners`): the shape of `owners` in cdk.json. Given, an
 * account whose owner is not among them is reported, as the functions report it: nobody would hear of its findings.
 * And each owner's escalation contact (`escalateTo`).
 */
export async function loadOwners(
  path: string,
): Promise<{ readonly routed: ReadonlySet<string>; readonly escalationContacts: ReadonlyMap<string, string> }> {
  const raw = await readSettingsFile(path, 'owners');
  const parsed = ownersSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error.issues, `--owners ${path}`).join('\n'));
  return { routed: new Set(routedOwnerIds(parsed.data)), escalationContacts: escalationContactsOf(parsed.data) };
}
