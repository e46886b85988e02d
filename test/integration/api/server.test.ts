import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiConfigSchema } from '../../../api/config.js';
import { FileKeyStore } from '../../../api/keys/file-key-store.js';
import { ApiServer } from '../../../api/server.js';
import { bearer } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { startTestBroker, type TestBroker } from './mqtt-broker.js';
import { seed } from './seed.js';

let influx: TestInflux;
let broker: TestBroker;

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux('fs_api_server'), startTestBroker()]);
  await seed(influx.connection);
});

afterAll(async () => {
  await broker?.stop();
  await influx?.stop();
});

describe('ApiServer', () => {
  it('connects InfluxDB and MQTT itself, listens, serves live state and stops cleanly', async () => {
    const config = ApiConfigSchema.parse({
      host: '127.0.0.1',
      port: 0,
      influx: influx.config,
      mqtt: { url: broker.url, clientId: 'fs-api-server-test' },
      keysFile: join(tempDir('fs-api-server'), 'keys.json'),
    });
    const reader = await new FileKeyStore(config.keysFile).add({
      name: 'test-reader',
      role: 'reader',
      stations: null,
      expiresAt: null,
    });
    const server = new ApiServer({ config, logger: pino({ level: 'silent' }) });
    const { port } = await server.start();
    const base = `http://127.0.0.1:${port}`;
    try {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'ok',
        influx: { reachable: true },
        mqtt: { connected: true },
        checks: [],
      });

      const gateway = await mqtt.connectAsync(broker.url, { clientId: 'jinfo-pi-2', protocolVersion: 4 });
      await gateway.publishAsync('fs/v1/jinfo/pi-2/status', JSON.stringify({ v: 1, state: 'online' }), {
        qos: 1,
        retain: true,
      });
      await gateway.endAsync();
      await vi.waitFor(async () => {
        const { stations } = (await (
          await fetch(`${base}/v1/stations`, { headers: bearer(reader) })
        ).json()) as {
          stations: { gateways: { gateway: string; state: string }[] }[];
        };
        expect(stations[0]?.gateways).toContainEqual(
          expect.objectContaining({ gateway: 'pi-2', state: 'online' }),
        );
      });
    } finally {
      await server.stop();
    }
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('fails to start, naming the cause, when InfluxDB is unreachable', async () => {
    const config = ApiConfigSchema.parse({
      port: 0,
      influx: { dialect: 'v1', url: 'http://127.0.0.1:9' },
      mqtt: { url: broker.url },
      keysFile: '/nonexistent/keys.json',
    });
    const server = new ApiServer({ config, logger: pino({ level: 'silent' }) });
    await expect(server.start()).rejects.toMatchObject({ code: 'INFLUX_UNREACHABLE' });
  });
});
