import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { Gateway } from '../../../firmware-bridge/gateway.js';

// The chaos bench counts what a gateway's drivers delivered from outside its process, so that a
// kill -9 cannot take the count with the batch still in memory: one trace line per reading.

/** Collects the 'reading delivered' lines and resolves once `wanted` have come. */
function deliveredLines(wanted: number): {
  stream: Writable;
  lines: Record<string, unknown>[];
  enough: Promise<void>;
} {
  const lines: Record<string, unknown>[] = [];
  let done: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk
        .toString()
        .split('\n')
        .filter((line) => line !== '')) {
        const record = JSON.parse(text) as Record<string, unknown>;
        if (record.msg === 'reading delivered') lines.push(record);
      }
      if (lines.length >= wanted) done();
      callback();
    },
  });
  return { stream, lines, enough };
}

describe('Gateway at log level trace', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-gateway-delivered-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('logs every reading its drivers delivered, with sensor and time, as the health counters count it', async () => {
    const config = parseGatewayConfig(
      {
        station: 'jinfo',
        gateway: 'cave-gw-1',
        // Nobody listens: readings wait in the outbox, which is what a kill would cost.
        mqtt: { url: 'mqtt://127.0.0.1:1', username: 'jinfo.cave-gw-1', password: 'secret' },
        outbox: { dir: 'outbox' },
        sensors: [
          {
            id: 'cave-co2-1',
            quantity: 'co2',
            unit: '[ppm]',
            intervalMs: 10,
            driver: { type: 'simulator', signal: { type: 'diurnal', mean: 400 } },
          },
        ],
      },
      join(dir, 'gateway.yaml'),
    );
    const { stream, lines, enough } = deliveredLines(3);
    const gateway = new Gateway({ config, logger: pino({ level: 'trace' }, stream) });
    await gateway.start();
    await enough;
    const logged = lines.length;
    const samples = gateway.health().sensors[0]?.samples;
    await gateway.stop();

    expect(logged).toBe(samples);
    for (const line of lines) {
      expect(line).toMatchObject({ sensor: 'cave-co2-1', station: 'jinfo', gateway: 'cave-gw-1' });
      expect(typeof line.time).toBe('number');
    }
    expect(new Set(lines.map((line) => line.time)).size).toBe(lines.length);
  });
});
