import type { ChannelCliFormat } from '../cli-part';
import { asffFormat } from './security-hub/cli';

/** The channels' own formats the CLI writes (`--format asff`): one line each. */
export const CHANNEL_CLI_FORMATS: readonly ChannelCliFormat[] = [asffFormat];
