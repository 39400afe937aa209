import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config';
import { CredentialHygieneStack } from '../lib/credential-hygiene-stack';

export interface BundledFunction {
  /** The esbuild output that `cdk deploy` would upload. */
  readonly bundle: string;
  /** The function's plain-string environment (tokens such as ARNs left out). */
  readonly environment: Record<string, string>;
}

interface SynthesizedFunction {
  readonly Type: string;
  readonly Properties: { Environment: { Variables: Record<string, unknown> }; Code: { S3Key: unknown } };
}

/** Synthesizes the real stack into `outdir`, bundling included, and finds each function's code by its family. */
export function synthesizeBundles(outdir: string): Record<string, BundledFunction> {
  const app = new App({ outdir });
  new CredentialHygieneStack(app, 'CredentialHygiene', { config: readConfig({}) });
  const template = app.synth().getStackByName('CredentialHygiene').template as {
    Resources: Record<string, SynthesizedFunction>;
  };
  const functions: Record<string, BundledFunction> = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = resource.Properties.Environment.Variables;
    const hash = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
    functions[String(variables.POWERTOOLS_SERVICE_NAME)] = {
      bundle: join(outdir, `asset.${hash}`, 'index.js'),
      environment: Object.fromEntries(
        Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
    };
  }
  return functions;
}
