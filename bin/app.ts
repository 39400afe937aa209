#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MEMBER_STACK_NAME, STACK_NAME } from '../lambdas/shared/monitor-principals';
import { CONFIG_CONTEXT_KEY, ConfigError, readConfig } from '../lib/config';
import { CredentialHygieneStack } from '../lib/credential-hygiene-stack';
import { MemberReadRoleStack } from '../lib/member-read-role-stack';

const app = new App();
try {
  const config = readConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
  new CredentialHygieneStack(app, STACK_NAME, {
    description: 'credential-hygiene: scheduled checks of shared logins held in Secrets Manager',
    config,
  });
  if (config.accounts !== undefined) {
    // The template a StackSet deploys to each member account: `npx cdk synth CredentialHygieneMemberRead`.
    new MemberReadRoleStack(app, MEMBER_STACK_NAME, {
      description: "credential-hygiene: the read role the monitor's check functions assume in this account",
      tagKey: config.tagKey,
      accounts: config.accounts,
      channels: config.channels,
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
