/** A body that broke its bounds: larger than allowed, or not whole by the request's deadline. */
export class BodyBoundError extends Error {
  override readonly name = 'BodyBoundError';
  constructor(
    readonly bound: 'size' | 'deadline',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a response body whole, within a size limit and by a deadline (an instant, in `Date.now()` time): the time
 * limit holds from the request's start to its last byte, so a server that trickles a byte a second, or never stops,
 * ends the read in time with at most `maxBytes` held. The stream is cancelled on either bound.
 */
export async function readBoundedBody(
  body: ReadableStream<Uint8Array> | null,
  bounds: { readonly maxBytes: number; readonly deadline: number },
): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const remaining = bounds.deadline - Date.now();
      if (remaining <= 0) throw deadlineError();
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        reader.read(),
        new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next === 'deadline') throw deadlineError();
      if (next.done) break;
      length += next.value.byteLength;
      if (length > bounds.maxBytes) {
        throw new BodyBoundError('size', `the response is larger than ${bounds.maxBytes} bytes`);
      }
      chunks.push(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  return Buffer.concat(chunks, length);
}

function deadlineError(): BodyBoundError {
  return new BodyBoundError('deadline', 'the response did not arrive whole in time');
}

/** A body's text, decoded as the UTF-8 JSON APIs send: a body that is not UTF-8 is refused, not repaired. */
export function utf8Text(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export interface BoundedFetchOptions {
  /** From the request's start to the body's last byte. */
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

/**
 * One request within the bounds: redirects not followed, the headers and (where `wantsBody` says so for the status)
 * the body read whole by one deadline, the body within `maxBodyBytes`. A body not wanted is cancelled unread. Rejects
 * with a BodyBoundError for either bound (the deadline passing before the headers included), and as fetch does for a
 * connection that failed.
 */
export async function boundedRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  options: BoundedFetchOptions,
  wantsBody: (status: number) => boolean = () => true,
): Promise<{ readonly response: Response; readonly body: Buffer | undefined }> {
  const controller = new AbortController();
  const deadline = Date.now() + options.timeoutMs;
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await fetch(input, { ...init, signal: controller.signal, redirect: 'manual' });
    if (!wantsBody(response.status)) {
      await response.body?.cancel();
      return { response, body: undefined };
    }
    return { response, body: await readBoundedBody(response.body, { maxBytes: options.maxBodyBytes, deadline }) };
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof BodyBoundError)) throw deadlineError();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `fetch` with the same bounds, for a library that takes a fetch implementation (google-auth-library's gaxios): the
 * body is read whole within them and handed on in a new Response, and redirects are not followed.
 */
export function boundedFetch(
  options: BoundedFetchOptions,
  hooks: { readonly onRequest?: () => void; readonly onResponse?: (status: number) => void } = {},
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    hooks.onRequest?.();
    const { response, body } = await boundedRequest(input, init, options);
    hooks.onResponse?.(response.status);
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
