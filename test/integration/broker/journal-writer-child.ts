// A broker journal appended to as fast as it goes, for journal-kill.test.ts to kill with SIGKILL.
// For each batch it prints `queued N` once the batch's enqueues are made (their frame is about to be
// written) and `confirmed N` once every one of them has resolved: what an acknowledging broker would
// have acknowledged by then. N is the brokerCounter of the batch's last message.
import { pino } from 'pino';
import { openJournalStorage } from '../../../broker/persistence/journal/journal-storage.js';

interface Enqueue {
  setup(broker: { id: string }): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
}

const [dir, payloadBytes, batch] = [process.argv[2] ?? '', Number(process.argv[3]), Number(process.argv[4])];
const storage = await openJournalStorage(
  { type: 'journal', dir, fsync: 'never', fsyncIntervalMs: 1000, compactAfterBytes: 2 ** 40 },
  pino({ level: 'silent' }),
);
const store = storage.persistence as unknown as Enqueue;
await store.setup({ id: 'child' });
const payload = Buffer.alloc(payloadBytes, 0x61);
for (let counter = 1; ; ) {
  const written: Promise<void>[] = [];
  for (let i = 0; i < batch; i++, counter++) {
    const packet = { cmd: 'publish', brokerId: 'child', brokerCounter: counter, topic: 't', payload, qos: 1 };
    written.push(store.outgoingEnqueueCombi([{ clientId: 'sub' }], packet));
  }
  process.stdout.write(`queued ${counter - 1}\n`);
  await Promise.all(written);
  process.stdout.write(`confirmed ${counter - 1}\n`);
}
