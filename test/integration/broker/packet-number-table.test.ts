import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerServer, provisionAccount } from '../../../broker/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { mosquittoPub } from '../../harness/mosquitto.js';
import { tempDir } from '../../harness/temp-dir.js';

// The broker alone in this process, and mosquitto_pub as its client: whatever MQTT packet is
// written here, the broker wrote it, as on its own worker thread in `fieldstation up`.
const servers: BrokerServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

describe('BrokerServer', () => {
  it("writes its CONNACKs and PUBACKs without mqtt-packet's table of 65,536 numbers", async () => {
    const credentialsFile = join(tempDir('fs-number-table'), 'credentials.json');
    const address = { station: 'jinfo', gateway: 'cave-gw-1' };
    const account = await provisionAccount(credentialsFile, { kind: 'gateway', ...address });
    const server = new BrokerServer({
      config: { host: '127.0.0.1', port: 0, credentialsFile },
      logger: pino({ level: 'silent' }),
    });
    servers.push(server);
    const { port } = await server.start();
    const topic = gatewayTopic(address, 'readings');
    const published = await mosquittoPub({ port, ...account, topic, message: '{}', qos: 1 });
    expect(published.code).toBe(0);
    const numbers = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: object };
    expect(Object.keys(numbers.cache)).toHaveLength(0);
  });
});
