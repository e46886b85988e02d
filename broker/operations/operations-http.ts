import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { EXPOSITION_CONTENT_TYPE } from '../../metrics/index.js';
import type { BrokerHealth } from './health.js';

/** What the endpoints report, asked anew on every request. */
export interface OperationsEndpoints {
  metrics(): string;
  health(): BrokerHealth;
}

export interface HttpReply {
  status: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown): HttpReply {
  return { status, contentType: JSON_TYPE, body: `${JSON.stringify(value)}\n` };
}

const ROUTES: Readonly<Record<string, (endpoints: OperationsEndpoints) => HttpReply>> = {
  '/metrics': (endpoints) => ({
    status: 200,
    contentType: EXPOSITION_CONTENT_TYPE,
    body: endpoints.metrics(),
  }),
  '/healthz': (endpoints) => {
    const health = endpoints.health();
    return json(health.status === 'ok' ? 200 : 503, health);
  },
};

/** The reply to one request; only GET and HEAD of the two paths, the query string ignored. */
export function answer(
  method: string | undefined,
  url: string | undefined,
  endpoints: OperationsEndpoints,
): HttpReply {
  const path = (url ?? '/').split('?')[0] ?? '/';
  const route = ROUTES[path];
  if (route === undefined) return json(404, { error: 'not found', paths: Object.keys(ROUTES) });
  if (method !== 'GET' && method !== 'HEAD') return json(405, { error: 'method not allowed' });
  return route(endpoints);
}

export interface OperationsHttpOptions {
  host: string;
  port: number;
  endpoints: OperationsEndpoints;
  logger: Logger;
}

export interface HttpAddress {
  host: string;
  port: number;
}

/** A small node:http server for Prometheus and health probes, apart from the MQTT listeners. */
export class OperationsHttpServer {
  readonly #options: OperationsHttpOptions;
  #server: Server | undefined;

  constructor(options: OperationsHttpOptions) {
    this.#options = options;
  }

  async start(): Promise<HttpAddress> {
    const server = createServer((request, response) => this.#handle(request, response));
    this.#server = server;
    server.listen(this.#options.port, this.#options.host);
    await once(server, 'listening');
    const address = server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server?.listening) return;
    const closed = once(server, 'close');
    server.close();
    // A scraper's keep-alive connection would otherwise hold the port until it times out.
    server.closeAllConnections();
    await closed;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    let reply: HttpReply;
    try {
      reply = answer(request.method, request.url, this.#options.endpoints);
    } catch (error) {
      this.#options.logger.error({ err: error, url: request.url }, 'operations endpoint failed');
      reply = json(500, { error: 'internal error' });
    }
    response.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': Buffer.byteLength(reply.body),
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  }
}
