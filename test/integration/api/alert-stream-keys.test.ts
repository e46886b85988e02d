import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import type { IssuedKey } from '../../../api/keys/api-key.js';
import { FileKeyStore } from '../../../api/keys/file-key-store.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type { AlertEvent } from '../../../protocol/index.js';
import { bearer } from '../../harness/api-keys.js';
import { tempDir } from '../../harness/temp-dir.js';

const T0 = Date.UTC(2026, 11, 1);
const ALERT: AlertEvent = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  kind: 'threshold',
  state: 'firing',
  severity: 'critical',
  message: 'CO2 above 5000 ppm in the cave',
  time: T0,
  since: T0,
};

// The alert stream never touches InfluxDB.
const noQueries: QueryPort = {
  query: () => Promise.reject(new Error('unused')),
  stream: () => {
    throw new Error('unused');
  },
  ping: () => Promise.reject(new Error('unused')),
};

let dir: string;
let keysFile: string;
let clock: number;
let live: LiveStore;
let app: ApiApp;
let baseUrl: string;

beforeEach(async () => {
  dir = tempDir('alert-stream-keys');
  keysFile = join(dir, 'api', 'keys.json');
  clock = T0;
  live = new LiveStore(() => clock);
  app = buildApp({
    keys: new FileKeyStore(keysFile),
    queries: noQueries,
    live,
    logger: pino({ level: 'silent' }),
    sseHeartbeatMs: 50,
    now: () => clock,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the stream with a key and answers a function that resolves with all it received once it ends. */
async function openStream(key: IssuedKey): Promise<{ ended: Promise<string>; abort: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/alerts/stream`, {
    signal: controller.signal,
    headers: bearer(key),
  });
  expect(response.status).toBe(200);
  return { ended: response.text(), abort: () => controller.abort() };
}

describe('an alert stream whose key stops being valid', () => {
  it('ends after its key is revoked through the keys file, as `fieldstation apikey revoke` does', async () => {
    // A second store on the same file: the CLI's, in another process.
    const cli = new FileKeyStore(keysFile);
    const key = await cli.add({ name: 'visitor', role: 'reader', stations: null, expiresAt: null });
    const { ended, abort } = await openStream(key);
    try {
      await expect.poll(() => live.listenerCount('alert')).toBe(1);
      await cli.revoke(key.id);
      // Before, the stream went on with pings and every alert for as long as the client held it.
      await ended;
      expect(live.listenerCount('alert')).toBe(0);
      const refused = await fetch(`${baseUrl}/v1/alerts/stream`, { headers: bearer(key) });
      expect(refused.status).toBe(401);
    } finally {
      abort();
    }
  });

  it('sends no alert past its key expiry and ends', async () => {
    const store = new FileKeyStore(keysFile);
    const expiresAt = new Date(T0 + 60_000).toISOString();
    const key = await store.add({ name: 'visitor', role: 'reader', stations: null, expiresAt });
    const { ended, abort } = await openStream(key);
    try {
      await expect.poll(() => live.listenerCount('alert')).toBe(1);
      clock = T0 + 60_000;
      live.applyAlert({ ...ALERT, message: 'after expiry', time: clock });
      const received = await ended;
      expect(received).not.toContain('after expiry');
    } finally {
      abort();
    }
  });

  it('stays open while its key is valid', async () => {
    const store = new FileKeyStore(keysFile);
    const key = await store.add({ name: 'visitor', role: 'reader', stations: null, expiresAt: null });
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/alerts/stream`, {
      signal: controller.signal,
      headers: bearer(key),
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    try {
      const decoder = new TextDecoder();
      let text = '';
      // Several heartbeats, each of which checked the key again.
      while ((text.match(/: ping/g) ?? []).length < 3) {
        const { value, done } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      live.applyAlert(ALERT);
      while (!text.includes('CO2 above')) {
        const { value, done } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      controller.abort();
    }
  });
});
