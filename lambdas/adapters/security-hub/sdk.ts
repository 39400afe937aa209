/**
 * The Security Hub client library, loaded on first use, so that a function without Security Hub never pays for it.
 * `require`, not `import()`: the bundles are CommonJS with the AWS SDK left to the Lambda runtime, and an `import()`
 * of it would resolve as an ES module, which does not look where the runtime keeps the SDK (NODE_PATH).
 */
export function securityHubSdk(): typeof import('@aws-sdk/client-securityhub') {
  return require('@aws-sdk/client-securityhub');
}
