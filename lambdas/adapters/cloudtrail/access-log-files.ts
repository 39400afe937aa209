import { gunzipSync } from 'node:zlib';
import type { SecretReadSource } from '../../core/evidence-sources';
import type { Leavers, SecretRead } from '../../core/secret-reads';
import * as z from '../../core/zod';
import { MONITOR_PRINCIPALS } from '../../shared/monitor-principals';
import { decodeUtf8Strictly, InputFileError, readInputBytes } from '../json-file';
import { CloudTrailRecordError, secretReadsOf } from './secret-read-events';

/** The largest access log read, compressed or not, and the most it may inflate to: far beyond 90 days of reads. */
export const MAX_ACCESS_LOG_BYTES = 256 * 1024 * 1024;

/** `LookupEvents` output as the AWS CLI writes it: each event's record as JSON text, its time as ISO text or seconds. */
const lookupEventsSchema = z.object({
  Events: z.array(
    z.object({
      CloudTrailEvent: z.string().check(z.maxLength(1024 * 1024)),
      EventTime: z.optional(z.union([z.iso.datetime({ offset: true }), z.number().check(z.nonnegative())])),
    }),
  ),
});

/**
 * The reads in one access log: a CloudTrail log file as delivered to S3 (`{"Records": [...]}`, gzipped or not) or the
 * output of `aws cloudtrail lookup-events` (`{"Events": [{"CloudTrailEvent": "..."}]}`). Read whole, within
 * `MAX_ACCESS_LOG_BYTES` before and after inflating; a file that is neither is an error naming the file and the
 * problem, never its content.
 */
export async function readAccessLog(path: string, maxBytes = MAX_ACCESS_LOG_BYTES): Promise<SecretRead[]> {
  const what = 'access log';
  let bytes = await readInputBytes(path, what, maxBytes);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputFileError(
        `cannot read ${what} ${path}: ${code === 'ERR_BUFFER_TOO_LARGE' ? `it inflates to more than ${maxBytes / 1024 / 1024} MiB` : 'it is not a whole gzip file (truncated or corrupt)'}`,
      );
    }
  }
  const text = decodeUtf8Strictly(bytes, path, what);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InputFileError(`cannot read ${what} ${path}: it is not JSON`);
  }
  try {
    if (
      typeof document === 'object' &&
      document !== null &&
      Array.isArray((document as { Records?: unknown }).Records)
    ) {
      return secretReadsOf((document as { Records: unknown[] }).Records, (index) => `Records[${index}]`);
    }
    const lookup = lookupEventsSchema.safeParse(document);
    if (!lookup.success) {
      throw new InputFileError(
        `cannot read ${what} ${path}: it is neither a CloudTrail log file ({"Records": [...]}) nor lookup-events output ({"Events": [...]})`,
      );
    }
    const records = lookup.data.Events.map(({ CloudTrailEvent, EventTime }, index) => {
      let record: unknown;
      try {
        record = JSON.parse(CloudTrailEvent);
      } catch {
        throw new InputFileError(`cannot read ${what} ${path}: Events[${index}].CloudTrailEvent is not JSON`);
      }
      // The record's own eventTime is the one read; the CLI's EventTime stands in only where it has none.
      if (EventTime !== undefined && typeof record === 'object' && record !== null && !('eventTime' in record)) {
        const at = typeof EventTime === 'number' ? new Date(EventTime * 1000) : new Date(EventTime);
        return { ...record, eventTime: at.toISOString() };
      }
      return record;
    });
    return secretReadsOf(records, (index) => `Events[${index}].CloudTrailEvent`);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    if (error instanceof CloudTrailRecordError)
      throw new InputFileError(`cannot read ${what} ${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The reads of secrets in the access logs given to a local scan (`--access-log`, each read when the scan asks), with
 * the leavers. A log that cannot be read makes every login's knowers check one that could not run, saying why.
 */
export class AccessLogFiles implements SecretReadSource {
  readonly name = 'the access logs';
  constructor(
    private readonly paths: readonly string[],
    private readonly leavers: Leavers,
  ) {}

  async load() {
    const reads: SecretRead[] = [];
    for (const path of this.paths) {
      for (const read of await readAccessLog(path)) reads.push(read);
    }
    return { reads, leavers: this.leavers, monitorPrincipals: MONITOR_PRINCIPALS };
  }
}
