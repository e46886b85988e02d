import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { ConfigError } from '../../../firmware-bridge/errors.js';
import { Gateway } from '../../../firmware-bridge/gateway.js';

const logger = pino({ level: 'silent' });

describe('Gateway.start', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-gateway-start-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a missing MQTT password file before it writes anything to disk', async () => {
    const config = parseGatewayConfig(
      {
        station: 'jinfo',
        gateway: 'cave-gw-1',
        mqtt: { url: 'mqtt://127.0.0.1:1', username: 'jinfo.cave-gw-1', passwordFile: 'no-such-password' },
        outbox: { dir: 'outbox' },
        sensors: [
          {
            id: 'cave-co2-1',
            quantity: 'co2',
            unit: '[ppm]',
            intervalMs: 60000,
            driver: { type: 'simulator', signal: { type: 'diurnal', mean: 400 } },
          },
        ],
      },
      join(dir, 'gateway.yaml'),
    );
    const gateway = new Gateway({ config, logger });

    const error = await gateway.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_UNREADABLE', file: join(dir, 'no-such-password') });
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
    await gateway.stop();
  });
});
