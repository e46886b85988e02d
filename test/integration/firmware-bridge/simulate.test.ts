import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulatorConfigs, startSimulation } from '../../../firmware-bridge/simulate.js';
import { decodePayload, ReadingsBatchSchema, type Status } from '../../../protocol/index.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { TestSubscriber } from './subscriber.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });

// Every sensor of config/jinfo-cave-gw.yaml and config/xuefeng-line-gw.yaml, derived ones included.
const JINFO = 'fs/v1/jinfo/sim-cave-gw-1/readings';
const XUEFENG = 'fs/v1/xuefeng/sim-line-gw-1/readings';
const JINFO_SENSORS = 15;
const XUEFENG_SENSORS = 12;

describe('startSimulation', () => {
  let dir: string;
  let broker: TestBroker;
  const logins: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-simulate-'));
    broker = await startTestBroker(0, {
      authenticate: (_client, username, password, done) => {
        if (username !== undefined) logins.push(`${username}:${password?.toString()}`);
        done(null, username === undefined || password?.toString() === `secret-${username}`);
      },
    });
  });

  afterEach(async () => {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs both stations with their own credentials and publishes valid readings for every sensor', async () => {
    const subscriber = await TestSubscriber.connect(broker.url);
    const simulation = await startSimulation({
      mqttUrl: broker.url,
      dataDir: dir,
      credentials: (station, gateway) => ({
        username: `${station}-${gateway}`,
        password: `secret-${station}-${gateway}`,
      }),
      intervalScale: 0.001,
      configFiles: await simulatorConfigs('config/simulate'),
      logger,
    });
    try {
      expect(simulation.gateways).toHaveLength(2);
      const sensorsByTopic = await subscriber.until((s) => {
        const seen = new Map<string, Set<string>>();
        for (const message of s.on('readings')) {
          const decoded = decodePayload(ReadingsBatchSchema, Buffer.from(JSON.stringify(message.payload)));
          if (!decoded.ok) throw new Error(decoded.reason);
          const sensors = seen.get(message.topic) ?? new Set<string>();
          for (const reading of decoded.value.readings) sensors.add(reading.sensor);
          seen.set(message.topic, sensors);
        }
        const complete =
          (seen.get(JINFO)?.size ?? 0) >= JINFO_SENSORS && (seen.get(XUEFENG)?.size ?? 0) >= XUEFENG_SENSORS;
        return complete ? seen : undefined;
      });
      expect([...sensorsByTopic.keys()].sort()).toEqual([
        'fs/v1/jinfo/sim-cave-gw-1/readings',
        'fs/v1/xuefeng/sim-line-gw-1/readings',
      ]);
      expect(sensorsByTopic.get(JINFO)?.size).toBe(JINFO_SENSORS);
      expect(sensorsByTopic.get(XUEFENG)?.size).toBe(XUEFENG_SENSORS);
      const online = subscriber.on('status').map((m) => m.payload as Status);
      expect(online.every((status) => status.state === 'online')).toBe(true);
      expect(logins.sort()).toEqual([
        'jinfo-sim-cave-gw-1:secret-jinfo-sim-cave-gw-1',
        'xuefeng-sim-line-gw-1:secret-xuefeng-sim-line-gw-1',
      ]);
      // Simulated values stay inside each sensor's plausible range.
      const flags = subscriber
        .on('readings')
        .flatMap((m) => (m.payload as { readings: { qc: number }[] }).readings);
      expect(flags.every((reading) => reading.qc === 1)).toBe(true);
    } finally {
      await simulation.stop();
      await subscriber.end();
    }
  });
});
