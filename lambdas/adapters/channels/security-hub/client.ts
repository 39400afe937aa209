import { KeptPromise } from '../../../util/kept-promise';
import { AWS_CLIENT_OPTIONS } from '../../aws-client-options';
import { securityHubSdk } from '../../security-hub/sdk';
import { SecurityHubChannel } from '../../security-hub/security-hub-channel';
import type { ChannelFactory } from '../channel-module';
import type { SecurityHubTarget } from './channel';

/**
 * The Security Hub channel, after the owners' messages: an import that fails is reported and counted without failing
 * the run. The SDK client is made on the first import.
 */
export const securityHubClient: ChannelFactory<SecurityHubTarget> = (target, problems, members) => {
  const client = new KeptPromise(async () => new (securityHubSdk().SecurityHubClient)(AWS_CLIENT_OPTIONS));
  return new SecurityHubChannel({
    ...target,
    client: { send: async (command) => (await client.get()).send(command) },
    onProblem: (problem) => problems.problem(problem),
    // A member's findings in its own Security Hub, through its read role session (a client per run, per member).
    ...(members !== undefined && {
      memberClient: async (account: string) =>
        new (securityHubSdk().SecurityHubClient)({
          ...AWS_CLIENT_OPTIONS,
          credentials: await members.credentialsOf(account),
        }),
    }),
  });
};
