import { Logger } from '@aws-lambda-powertools/logger';
import { readRecorder } from '../adapters/cloudtrail/read-recorder';
import { safeMessageOf } from '../core/safe-to-show-error';
import { readRecordingFromEnvironment } from '../shared/read-recording';
import { withSourceMappedStack } from '../shared/source-mapped-stack';

const logger = new Logger({ serviceName: 'read-recorder' });
let record: ((event: unknown) => Promise<{ recorded: number }>) | undefined;

/**
 * The reads of monitored secrets, as CloudTrail reports them through EventBridge, recorded in the lifecycle table for
 * the knowers check. Logs counts only: never a reader's name, a token or an address.
 */
export async function handler(event: unknown): Promise<{ recorded: number }> {
  record ??= readRecorder(readRecordingFromEnvironment('read recorder'));
  try {
    const outcome = await record(event);
    logger.info('reads recorded', outcome);
    return outcome;
  } catch (error) {
    logger.error('reads not recorded', { error: safeMessageOf(error) ?? (error as Error).name });
    throw withSourceMappedStack(error);
  }
}
