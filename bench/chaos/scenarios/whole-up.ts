import { freePort } from '../../../influx/index.js';
import type { GatewayAddress } from '../../../protocol/index.js';
import type { CliChild } from '../cli-child.js';
import { LoadPublisher } from '../load-publisher.js';
import type { ChaosRig, Teardown } from '../rig.js';
import { gatewayAccount, startInfluxd, startUp } from '../rig-parts.js';

/**
 * `fieldstation up` (broker, ingest, alerts, notify, api in one process) killed whole. It stores in
 * an influxd of the run's own rather than a private one, which would die with it: the promise under
 * test is that of the station server's process.
 */
export async function wholeUp(dir: string, teardown: Teardown): Promise<ChaosRig> {
  const address: GatewayAddress = { station: 'chaos', gateway: 'load-up' };
  const credentials = await gatewayAccount(dir, address);
  const { server, influx } = await startInfluxd(dir);
  teardown.add(() => server.stop());
  teardown.add(() => influx.writer.close());
  const port = await freePort();
  let up: CliChild | undefined;
  teardown.add(async () => up?.kill());
  const restart = async () => {
    up = await startUp(dir, port, server.url);
  };
  await restart();
  const load = await LoadPublisher.start(`mqtt://127.0.0.1:${port}`, credentials, address);
  teardown.add(() => load.abort());
  return {
    address,
    key: 'value',
    influx,
    kill: async () => {
      await up?.kill();
    },
    restart,
    stopLoad: async () => {
      await load.stop();
      return load.produced();
    },
    stop: () => teardown.run(),
  };
}
