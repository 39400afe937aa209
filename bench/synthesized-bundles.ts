import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { FUNCTION_NAMES, FUNCTION_SPECS } from '../lambdas/shared/function-specs';
import { readConfig } from '../lib/config';
import { CredentialHygieneStack } from '../lib/credential-hygiene-stack';

export interface BundledFunction {
  /** The esbuild output that `cdk deploy` would upload. */
  readonly bundle: string;
  /** The function's plain-string environment (tokens such as ARNs left out). */
  readonly environment: Record<string, string>;
}

/** A function as the template declares it: its bundle, its logical id and its environment as synthesized. */
export interface SynthesizedFunction extends BundledFunction {
  readonly logicalId: string;
  /** Every variable, tokens (`Ref`, `Fn::GetAtt`…) included, to be resolved against the resources they name. */
  readonly variables: Record<string, unknown>;
  /** The execution role's `Fn::GetAtt` target. */
  readonly roleLogicalId: string;
}

export interface CloudFormationTemplate {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

export interface SynthesizedStack {
  readonly template: CloudFormationTemplate;
  /** By family: `password-age`, `breach-exposure`, `mfa-status`. */
  readonly functions: Record<string, SynthesizedFunction>;
}

interface FunctionResource {
  readonly Type: string;
  readonly Properties: {
    Environment: { Variables: Record<string, unknown> };
    Code: { S3Key: unknown };
    Role: { 'Fn::GetAtt': [string, string] };
  };
}

/**
 * Synthesizes the real stack into `outdir`, bundling included, with the configuration `context` would give in
 * cdk.json, and finds each function's code, environment and role by its family.
 */
export function synthesizeStack(outdir: string, context: unknown = {}): SynthesizedStack {
  const app = new App({ outdir });
  new CredentialHygieneStack(app, 'CredentialHygiene', { config: readConfig(context) });
  const template = app.synth().getStackByName('CredentialHygiene').template as CloudFormationTemplate;
  const functions: Record<string, SynthesizedFunction> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const { Properties } = resource as unknown as FunctionResource;
    const variables = Properties.Environment?.Variables ?? {};
    // CDK's own custom resource provider is no function of this project's.
    if (typeof variables.POWERTOOLS_SERVICE_NAME !== 'string') continue;
    const hash = String(Properties.Code.S3Key).replace(/\.zip$/, '');
    functions[String(variables.POWERTOOLS_SERVICE_NAME)] = {
      logicalId,
      bundle: join(outdir, `asset.${hash}`, 'index.js'),
      variables,
      roleLogicalId: Properties.Role['Fn::GetAtt'][0],
      environment: Object.fromEntries(
        Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
    };
  }
  return { template, functions };
}

/** The check functions' bundles of the stack with its default configuration, by family. */
export function synthesizeBundles(outdir: string): Record<string, BundledFunction> {
  const families = new Set<string>(FUNCTION_NAMES.map((name) => FUNCTION_SPECS[name].family));
  return Object.fromEntries(
    Object.entries(synthesizeStack(outdir).functions).filter(([family]) => families.has(family)),
  );
}
