import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { createWebSocketStream, type WebSocket, WebSocketServer } from 'ws';
import { type AcceptConnection, close, type Listener, type ListenerAddress, listen } from './listener.js';
import type { WebSocketListenerConfig } from './listener-config.js';
import { loadTlsCredentials, type TlsFiles } from './tls-credentials.js';
import { TlsReloader } from './tls-reloader.js';

export interface WebSocketAddress extends ListenerAddress {
  path: string;
  secure: boolean;
}

export interface WebSocketListenerOptions {
  config: WebSocketListenerConfig;
  /** The listen address when the config names none. */
  defaultHost: string;
  /** No WebSocket message may be larger than the largest MQTT packet the broker takes. */
  maxPacketBytes: number;
  accept: AcceptConnection;
  /** A client sent a message over maxPacketBytes; ws has closed its connection (1009). */
  onOversizedMessage: (request: IncomingMessage) => void;
  logger: Logger;
}

/** MQTT 3.1.1 section 6: the server selects 'mqtt'; MQTT 3.1 clients offer 'mqttv3.1'. */
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'] as const;

export function selectSubprotocol(offered: ReadonlySet<string>): string | false {
  return SUBPROTOCOLS.find((protocol) => offered.has(protocol)) ?? false;
}

function upgradeRequired(response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
  response.end('MQTT over WebSocket only\n');
}

/** MQTT over WebSocket (ws://, or wss:// with certFile and keyFile) on its own HTTP server. */
export class WebSocketListener implements Listener {
  readonly #options: WebSocketListenerOptions;
  #http: Server | undefined;
  #sockets: WebSocketServer | undefined;
  #reloader: TlsReloader | undefined;

  constructor(options: WebSocketListenerOptions) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.config.certFile === undefined ? 'ws' : 'wss';
  }

  get listening(): boolean {
    return this.#http?.listening === true;
  }

  async start(): Promise<WebSocketAddress> {
    const { config, defaultHost, maxPacketBytes, logger } = this.#options;
    const { certFile, keyFile } = config;
    const secure = certFile !== undefined && keyFile !== undefined;
    const http = secure ? await this.#secureServer({ certFile, keyFile }) : createHttpServer();
    http.on('request', (_request: IncomingMessage, response: ServerResponse) => upgradeRequired(response));
    const sockets = new WebSocketServer({
      server: http,
      path: config.path,
      maxPayload: maxPacketBytes,
      handleProtocols: selectSubprotocol,
      perMessageDeflate: false,
    });
    sockets.on('connection', (socket, request) => this.#connected(socket, request));
    // ws repeats the HTTP server's errors here; listen() already reports the one that matters.
    sockets.on('error', (error) => logger.debug({ err: error }, 'websocket server error'));
    this.#http = http;
    this.#sockets = sockets;
    const address = await listen(http, config.port, config.host ?? defaultHost);
    this.#reloader?.start();
    return { ...address, path: config.path, secure };
  }

  stop(): Promise<void> {
    this.#reloader?.stop();
    this.#reloader = undefined;
    const sockets = this.#sockets;
    const http = this.#http;
    this.#sockets = undefined;
    this.#http = undefined;
    if (sockets !== undefined) {
      for (const socket of sockets.clients) socket.terminate();
      sockets.close();
    }
    return close(http);
  }

  /** wss: the files are read now, and again whenever they change. */
  async #secureServer(files: TlsFiles): Promise<Server> {
    const loaded = await loadTlsCredentials(files);
    const server = createHttpsServer(loaded);
    const { logger } = this.#options;
    this.#reloader = new TlsReloader({ listener: this.name, files, loaded, server, logger });
    return server;
  }

  #connected(socket: WebSocket, request: IncomingMessage): void {
    // Registered before createWebSocketStream's own listener, which destroys the stream on error: a
    // stream destroyed already was closed by the packet-size guard, which has counted the packet.
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && !stream.destroyed) {
        this.#options.onOversizedMessage(request);
      }
    });
    const stream = createWebSocketStream(socket);
    this.#options.accept(stream, request);
  }
}
