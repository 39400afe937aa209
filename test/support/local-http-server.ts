import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

export type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 for a test: records every request and answers with `handler`. */
export class LocalHttpServer {
  readonly requests: RecordedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private constructor(private readonly server: Server) {}

  static async start(handler: Handler): Promise<LocalHttpServer> {
    let local: LocalHttpServer | undefined;
    const server = createServer((request, response) => {
      const self = local as LocalHttpServer;
      const index = self.requests.length;
      self.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      self.inFlight += 1;
      self.maxInFlight = Math.max(self.maxInFlight, self.inFlight);
      response.on('close', () => {
        self.inFlight -= 1;
      });
      void Promise.resolve(handler(request, response, index)).catch(() => response.destroy());
    });
    local = new LocalHttpServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return local;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A request's body, as text. */
export async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers with a JSON body. */
export function respondJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
