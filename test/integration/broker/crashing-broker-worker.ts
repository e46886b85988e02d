/**
 * The real broker thread, which in this test dies of an uncaught error when it is asked to reload
 * its credentials: how BrokerThread reports a broker that is gone.
 */
import { parentPort } from 'node:worker_threads';
import '../../../broker/thread/broker-worker.js';

parentPort?.on('message', (message: { type: string }) => {
  if (message.type === 'reload') throw new Error('the broker fell over (test)');
});
