import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

export interface TestBroker {
  aedes: Aedes;
  url: string;
  close(): Promise<void>;
}

/** A plain in-process Aedes (in-memory persistence, no auth) on a free loopback port. */
export async function startTestBroker(): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const server = createServer((socket) => aedes.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    aedes,
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      server.close();
      await once(server, 'close');
    },
  };
}

/** A plain MQTT 3.1.1 client, as a gateway or a dashboard would connect. */
export async function connectClient(url: string, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId, protocolVersion: 4, reconnectPeriod: 0 });
}
