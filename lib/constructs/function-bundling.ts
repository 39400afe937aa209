import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function of the stack is bundled: minified CommonJS for Node.js 22 with source maps, the AWS SDK left to
 * the runtime; `define` carries what is known at synth into the code (see `BUNDLED_SETTINGS_GLOBAL`).
 */
export function functionBundling(define?: Readonly<Record<string, string>>): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    target: 'node22',
    format: OutputFormat.CJS,
    externalModules: ['@aws-sdk/*'],
    ...(define !== undefined && { define: { ...define } }),
  };
}
