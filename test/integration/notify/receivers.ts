import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhook } from '../../../notify/index.js';

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  secure: boolean;
  user: string | undefined;
}

/** Resolves when `check` holds, checking again whenever `emitter` says something changed. */
export class Waiter {
  private waiting: { check: () => boolean; resolve: () => void }[] = [];

  changed(): void {
    this.waiting = this.waiting.filter(({ check, resolve }) => {
      if (!check()) return true;
      resolve();
      return false;
    });
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ check, resolve }));
  }
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  waiter: Waiter;
  stop(): Promise<void>;
}

/** A real SMTP server (smtp-server) requiring STARTTLS and a login, keeping what it receives. */
export async function startSmtpReceiver(
  tls: { cert: string; key: string },
  login: { user: string; pass: string },
): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const waiter = new Waiter();
  const server = new SMTPServer({
    secure: false,
    cert: readFileSync(tls.cert),
    key: readFileSync(tls.key),
    authMethods: ['PLAIN', 'LOGIN'],
    // Authentication is only offered once the connection is encrypted: STARTTLS must happen.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.pass)
        return callback(null, { user: auth.username });
      return callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          subject: /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '',
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
        waiter.changed();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, waiter, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface WebhookRequest {
  id: string;
  timestamp: string;
  verified: boolean;
  body: { type: string; data: Record<string, unknown> };
  status: number;
}

export interface WebhookReceiver {
  url: string;
  requests: WebhookRequest[];
  /** Statuses to answer with next, in order; 200 when empty. */
  answers: number[];
  waiter: Waiter;
  stop(): Promise<void>;
}

/** A real HTTP receiver (node:http) that verifies every request's Standard Webhooks signature. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const requests: WebhookRequest[] = [];
  const answers: number[] = [];
  const waiter = new Waiter();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      const verified = verifyWebhook(
        secret,
        {
          id: header('webhook-id'),
          timestamp: header('webhook-timestamp'),
          signature: header('webhook-signature'),
        },
        body,
      );
      const status = verified ? (answers.shift() ?? 200) : 401;
      requests.push({
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        verified,
        body: JSON.parse(body),
        status,
      });
      response.writeHead(status).end();
      waiter.changed();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    answers,
    waiter,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
