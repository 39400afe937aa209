import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function of the stack is bundled: minified CommonJS for Node.js 22 with a source map (read only when an
 * invocation fails, see lambdas/shared/source-mapped-stack.ts), the AWS SDK left to the runtime; `define` carries
 * what is known at synth into the code (see `BUNDLED_SETTINGS_GLOBAL`).
 */
export function functionBundling(define?: Readonly<Record<string, string>>): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    // A stack needs only the mappings: without the sources the map is a fifth of the size (see source-mapped-stack).
    sourcesContent: false,
    target: 'node22',
    format: OutputFormat.CJS,
    externalModules: ['@aws-sdk/*'],
    ...(define !== undefined && { define: { ...define } }),
  };
}
