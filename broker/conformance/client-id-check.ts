import type { AedesOptions, Client } from 'aedes';
import type { Logger } from 'pino';
import type { BrokerCounters } from '../broker-stats.js';
import { type AuthenticateHandler, CONNACK, refuseConnect } from '../refuse-connect.js';
import { identifierRejected } from './client-id-rules.js';

type PreConnectHandler = NonNullable<AedesOptions['preConnect']>;

/**
 * Enforces the client id rules Aedes leaves out. The CONNECT packet is only visible in preConnect,
 * which cannot send a CONNACK, so preConnect marks the client and the authenticate hook refuses
 * it with return code 2 before any credential is checked.
 */
export class ClientIdCheck {
  readonly #rejected = new WeakSet<Client>();
  readonly #counters: BrokerCounters;
  readonly #logger: Logger;

  constructor(counters: BrokerCounters, logger: Logger) {
    this.#counters = counters;
    this.#logger = logger;
  }

  readonly preConnect: PreConnectHandler = (client, packet, callback) => {
    if (identifierRejected(packet)) this.#rejected.add(client);
    callback(null, true);
  };

  authenticate(inner: AuthenticateHandler): AuthenticateHandler {
    return (client, username, password, done) => {
      if (!this.#rejected.has(client)) return inner(client, username, password, done);
      this.#counters.authFailures += 1;
      this.#logger.warn({ username, clean: client.clean }, 'connection refused: zero-length client id');
      const reason = 'a zero-length client id needs clean session on (MQTT-3.1.3-8)';
      refuseConnect(done, 'CLIENT_ID_REJECTED', CONNACK.identifierRejected, reason, { username });
    };
  }
}
