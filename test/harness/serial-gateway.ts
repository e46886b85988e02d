import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IssuedCredentials } from '../../broker/index.js';
import { Gateway, parseGatewayConfig } from '../../firmware-bridge/index.js';
import { type PtyPair, startPtyPair } from './socat.js';

/** A gateway config as in its YAML file, with one serial port whose device path the harness supplies. */
export interface SerialGatewayDocument {
  station: string;
  gateway: string;
  port: { id: string; protocol: Record<string, unknown>; baudRate?: number };
  sensors: readonly Record<string, unknown>[];
  batch?: { maxReadings?: number; maxDelayMs?: number };
  healthIntervalMs?: number;
}

export interface SerialGatewayOptions {
  document: SerialGatewayDocument;
  mqttUrl: string;
  credentials: IssuedCredentials;
  logger: Logger;
}

export interface SerialGateway {
  gateway: Gateway;
  /** Writes lines into the other end of the PTY, as the instrument on the cable would. */
  send(...lines: string[]): Promise<void>;
  /** Stops the gateway (flush, offline status); later calls do nothing. */
  stopGateway(): Promise<void>;
  /** Stops the gateway and releases the PTY and the outbox dir. */
  stop(): Promise<void>;
}

/** A real firmware-bridge Gateway reading a socat PTY, logged in to a broker with a gateway account. */
export async function startSerialGateway(options: SerialGatewayOptions): Promise<SerialGateway> {
  const { document, credentials } = options;
  const dir = await mkdtemp(join(tmpdir(), 'fs-serial-gw-'));
  const pty: PtyPair = await startPtyPair();
  const config = parseGatewayConfig(
    {
      station: document.station,
      gateway: document.gateway,
      mqtt: { url: options.mqttUrl, username: credentials.username, password: credentials.password },
      outbox: { dir: 'outbox' },
      ...(document.batch === undefined ? {} : { batch: document.batch }),
      ...(document.healthIntervalMs === undefined ? {} : { healthIntervalMs: document.healthIntervalMs }),
      serialPorts: [{ ...document.port, path: pty.a }],
      sensors: document.sensors,
    },
    join(dir, 'gateway.yaml'),
  );
  const gateway = new Gateway({
    config,
    logger: options.logger,
    reconnect: { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 1 },
  });
  let device: FileHandle | undefined;
  let stopped: Promise<void> | undefined;
  const stopGateway = () => {
    stopped ??= gateway.stop();
    return stopped;
  };
  const release = async () => {
    await device?.close();
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await gateway.start();
    device = await open(pty.b, 'w');
  } catch (error) {
    await stopGateway();
    await release();
    throw error;
  }
  const handle = device;
  return {
    gateway,
    send: async (...lines) => {
      await handle.write(lines.map((line) => `${line}\n`).join(''));
    },
    stopGateway,
    stop: async () => {
      await stopGateway();
      await release();
    },
  };
}
