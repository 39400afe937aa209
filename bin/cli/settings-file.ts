import { InputFileError } from '../../lambdas/adapters/json-file';
import { readStructuredFile } from '../../lambdas/adapters/structured-file';
import { UsageError } from './usage-error';

/** A JSON or YAML file the user named (a policy, owners, provider settings): a file that cannot be used is a usage error. */
export async function readSettingsFile(path: string, what: string): Promise<unknown> {
  try {
    return await readStructuredFile(path, what);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(error.message);
    throw error;
  }
}
