/** The parts of a CONNECT packet the client id rules look at. */
export interface ConnectIdentity {
  clientId: string;
  clean?: boolean | undefined;
  protocolVersion?: number | undefined;
}

const MQTT_3_1 = 3;

/**
 * Whether a CONNECT must be answered with CONNACK 0x02 (identifier rejected). A zero-length id is
 * allowed only with a clean session, which the server then names ([MQTT-3.1.3-6]); with clean
 * session off there would be no id to find the session by again ([MQTT-3.1.3-8]). MQTT 3.1 did
 * not allow a zero-length id at all. Aedes accepts both and invents an id.
 */
export function identifierRejected(connect: ConnectIdentity): boolean {
  if (connect.clientId !== '') return false;
  return connect.clean === false || connect.protocolVersion === MQTT_3_1;
}
