#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { CredentialHygieneStack } from '../lib/credential-hygiene-stack';

const app = new App();
new CredentialHygieneStack(app, 'CredentialHygiene', {
  description: 'credential-hygiene: scheduled checks of shared logins held in Secrets Manager',
});
