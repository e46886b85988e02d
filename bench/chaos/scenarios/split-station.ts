import { provisionAccount } from '../../../broker/index.js';
import { freePort } from '../../../influx/index.js';
import type { GatewayAddress } from '../../../protocol/index.js';
import type { CliChild } from '../cli-child.js';
import { LoadPublisher } from '../load-publisher.js';
import type { ChaosRig, Teardown } from '../rig.js';
import { credentialsFile, gatewayAccount, startBroker, startInfluxd, startIngest } from '../rig-parts.js';

export type SplitPart = 'broker' | 'ingest' | 'influxd';

/**
 * influxd, `fieldstation broker` and `fieldstation ingest` as three processes, a load publisher on
 * the broker, and one of the three killed and restarted each cycle.
 */
export async function splitStation(dir: string, part: SplitPart, teardown: Teardown): Promise<ChaosRig> {
  const address: GatewayAddress = { station: 'chaos', gateway: `load-${part}` };
  const credentials = await gatewayAccount(dir, address);
  const ingestAccount = await provisionAccount(credentialsFile(dir), { kind: 'service', name: 'ingest' });
  const { server, influx } = await startInfluxd(dir);
  teardown.add(() => server.stop());
  teardown.add(() => influx.writer.close());
  const port = await freePort();
  const mqttUrl = `mqtt://127.0.0.1:${port}`;
  const children: Record<'broker' | 'ingest', CliChild | undefined> = {
    broker: undefined,
    ingest: undefined,
  };
  teardown.add(() => Promise.all([children.broker?.kill(), children.ingest?.kill()]));
  const restartBroker = async () => {
    children.broker = await startBroker(dir, port);
  };
  const restartIngest = async () => {
    children.ingest = await startIngest(dir, mqttUrl, ingestAccount, server.url);
  };
  await restartBroker();
  await restartIngest();
  const load = await LoadPublisher.start(mqttUrl, credentials, address);
  teardown.add(() => load.abort());
  const restarts = {
    broker: { kill: () => children.broker?.kill(), restart: restartBroker },
    ingest: { kill: () => children.ingest?.kill(), restart: restartIngest },
    influxd: { kill: () => server.stop('SIGKILL'), restart: () => server.start() },
  }[part];
  return {
    address,
    key: 'value',
    influx,
    kill: async () => {
      await restarts.kill();
    },
    restart: async () => {
      await restarts.restart();
    },
    stopLoad: async () => {
      await load.stop();
      return load.produced();
    },
    stop: () => teardown.run(),
  };
}
