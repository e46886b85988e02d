import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../../influx/index.js';
import type { GatewayAddress } from '../../../protocol/index.js';
import type { CliChild } from '../cli-child.js';
import type { ChaosRig, Teardown } from '../rig.js';
import { gatewayAccount, startGateway, startInfluxd, startUp } from '../rig-parts.js';

const SENSORS = ['chaos-t-1', 'chaos-t-2', 'chaos-t-3', 'chaos-t-4'];
/** Four sensors every 20 ms: 200 readings/s, batched by 50 or every 200 ms. */
const INTERVAL_MS = 20;

function gatewayConfig(
  address: GatewayAddress,
  mqttUrl: string,
  credentials: { username: string; password: string },
  dir: string,
) {
  return {
    ...address,
    mqtt: { url: mqttUrl, ...credentials },
    outbox: { dir: join(dir, 'gateway', 'outbox') },
    batch: { maxReadings: 50, maxDelayMs: 200 },
    sensors: SENSORS.map((id, i) => ({
      id,
      quantity: 'temperature',
      unit: 'Cel',
      intervalMs: INTERVAL_MS,
      driver: { type: 'simulator', seed: i + 1, signal: { type: 'diurnal', mean: 10 + i } },
    })),
  };
}

/**
 * A real `fieldstation gateway` on simulated sensors, killed each cycle, in front of a `fieldstation
 * up` that stays. Produced is what its drivers delivered (its trace lines), so the readings a kill
 * takes from the batch in memory count as lost.
 */
export async function gatewayUnderChaos(dir: string, teardown: Teardown): Promise<ChaosRig> {
  const address: GatewayAddress = { station: 'chaos', gateway: 'sim-gw' };
  const credentials = await gatewayAccount(dir, address);
  const { server, influx } = await startInfluxd(dir);
  teardown.add(() => server.stop());
  teardown.add(() => influx.writer.close());
  const port = await freePort();
  const mqttUrl = `mqtt://127.0.0.1:${port}`;
  const up = await startUp(dir, port, server.url);
  teardown.add(() => up.kill());
  const configFile = join(dir, 'gateway.json');
  await writeFile(configFile, JSON.stringify(gatewayConfig(address, mqttUrl, credentials, dir)));
  const produced: string[] = [];
  let gateway: CliChild | undefined;
  teardown.add(async () => gateway?.kill());
  const restart = async () => {
    gateway = await startGateway(configFile, (record) => produced.push(`${record.sensor}@${record.time}`));
  };
  await restart();
  return {
    address,
    key: 'sensor-time',
    influx,
    kill: async () => {
      await gateway?.kill();
    },
    restart,
    // Stopped as a service is: it stores its batch and drains its outbox, so only the kills cost.
    stopLoad: async () => {
      await gateway?.terminate();
      return produced;
    },
    stop: () => teardown.run(),
  };
}
