import type { Aedes, Client } from 'aedes';
import type { LimitReporter } from './limit-reporter.js';

/** The message of the error Aedes destroys a socket with when its drainTimeout runs out (lib/client.js). */
const AEDES_DRAIN_TIMEOUT = 'drain timeout';

/**
 * Counts and logs the subscribers Aedes disconnects for not reading their socket. Aedes does the
 * disconnecting itself (its `drainTimeout` option): while a write waits for 'drain' the message
 * holds one of the emitter's slots, so a subscriber that stops reading would, once the slots are
 * full, stall delivery to everyone. Aedes may report one timeout once per pending write; it is
 * counted once per client.
 */
export function watchSlowSubscribers(
  aedes: Aedes,
  reporter: LimitReporter,
  accountOf: (client: Client) => string | undefined,
  drainTimeoutMs: number,
): void {
  const reported = new WeakSet<Client>();
  aedes.on('clientError', (client, error) => {
    if (error.message !== AEDES_DRAIN_TIMEOUT || reported.has(client)) return;
    reported.add(client);
    reporter.hit(
      'slowSubscriber',
      { account: accountOf(client), clientId: client.id, drainTimeoutMs },
      'slow subscriber disconnected: its socket stayed full',
    );
  });
}
