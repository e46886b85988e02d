import { appendFile, type FileHandle, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Channel,
  DeliveryRetrySchema,
  Dispatcher,
  JOURNAL_FILE,
  Journal,
  type Notification,
  notificationId,
  type SendResult,
} from '../../../notify/index.js';
import type { AlertDelivery } from '../../../protocol/index.js';
import { tempDir } from '../../harness/temp-dir.js';
import { event, subscribers, T0 } from './fixtures.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function notification(
  contact: string,
  channel: 'email' | 'webhook',
  reason: Notification['reason'] = 'firing',
): Notification {
  const key = {
    station: 'xuefeng',
    rule: 'conductor-icing',
    since: T0,
    reason,
    n: 0,
    contact,
    channel,
    route: 'oncall',
  } as const;
  return { ...key, id: notificationId(key), plannedAt: T0, event: event() };
}

function journalDir(): string {
  const dir = tempDir('fs-notify-journal');
  dirs.push(dir);
  return dir;
}

/** A channel whose attempts the test settles by hand. */
class ManualChannel implements Channel {
  readonly calls: { notification: Notification; settle: (result: SendResult) => void }[] = [];
  send(notification: Notification): Promise<SendResult> {
    return new Promise((settle) => this.calls.push({ notification, settle }));
  }
}

class AnsweringChannel implements Channel {
  readonly sent: string[] = [];
  constructor(private readonly answers: SendResult[]) {}
  send(notification: Notification): Promise<SendResult> {
    this.sent.push(notification.id);
    return Promise.resolve(this.answers.shift() ?? { ok: true });
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('journal', () => {
  it('brings planned notifications and their outcomes back after a restart, skipping a torn last line', async () => {
    const dir = journalDir();
    const first = new Journal(dir, logger);
    await first.open();
    const sent = notification('ana', 'email');
    const unsent = notification('ben', 'webhook');
    await first.appendPlanned([sent, unsent]);
    await first.appendOutcome({
      id: sent.id,
      outcome: 'sent',
      attempt: 1,
      time: T0 + 10,
      firstAttemptAt: T0,
    });
    await first.close();
    await appendFile(join(dir, JOURNAL_FILE), '{"t":"outcome","id":');

    const ledger = await new Journal(dir, logger).open();
    expect(ledger.get(sent.id)?.status).toBe('sent');
    expect(ledger.due(T0 + 1000).map((entry) => entry.notification.id)).toEqual([unsent.id]);
    expect(ledger.planned()).toHaveLength(2);
  });

  it('remembers the last acknowledgement and silence of each rule across restarts and compaction', async () => {
    const dir = journalDir();
    const journal = new Journal(dir, logger);
    await journal.open();
    const ack = {
      v: 1,
      station: 'xuefeng',
      rule: 'conductor-icing',
      since: T0,
      by: 'ana',
      time: T0 + 5,
    } as const;
    const silence = {
      v: 1,
      station: 'jinfo',
      rule: 'cave-co2-high',
      until: T0 + 3_600_000,
      by: 'ben',
      time: T0,
    } as const;
    await journal.appendAck({ ...ack, since: T0 - 1 });
    await journal.appendAck(ack);
    await journal.appendSilence('jinfo', 'cave-co2-high', silence);
    await journal.appendSilence('xuefeng', 'conductor-icing', undefined);
    await journal.close();
    const again = new Journal(dir, logger);
    await again.open();
    await again.close();
    const third = new Journal(dir, logger);
    await third.open();
    expect(third.remembered().acks).toEqual([ack]);
    expect(third.remembered().silences).toEqual([
      { station: 'jinfo', rule: 'cave-co2-high', silence },
      { station: 'xuefeng', rule: 'conductor-icing', silence: undefined },
    ]);
    await third.close();
  });

  it('starts the next line afresh after a write torn by a full disk, so what follows survives a restart', async () => {
    const dir = journalDir();
    const journal = new Journal(dir, logger);
    await journal.open();
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const appendFile = proto.appendFile;
    // The disk fills up part way through a line: some bytes are written, then ENOSPC.
    const spy = vi.spyOn(proto, 'appendFile').mockImplementationOnce(async function (
      this: FileHandle,
      data: string | Uint8Array,
    ) {
      await appendFile.call(this, String(data).slice(0, 40), 'utf8');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    await expect(journal.appendPlanned([notification('ana', 'email')])).rejects.toThrow(/ENOSPC/);
    spy.mockRestore();
    const survivor = notification('ben', 'webhook');
    await journal.appendPlanned([survivor]);
    await journal.close();
    const again = new Journal(dir, logger);
    // Before, the survivor's line was glued to the torn one and both were skipped as unreadable.
    expect((await again.open()).get(survivor.id)?.notification).toEqual(survivor);
    await again.close();
  });

  it('writes an acknowledgement again when its first write failed', async () => {
    const dir = journalDir();
    const journal = new Journal(dir, logger);
    await journal.open();
    const ack = {
      v: 1,
      station: 'xuefeng',
      rule: 'conductor-icing',
      since: T0,
      by: 'ana',
      time: T0,
    } as const;
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.spyOn(proto, 'appendFile').mockRejectedValueOnce(full);
    await expect(journal.appendAck(ack)).rejects.toThrow(/ENOSPC/);
    vi.restoreAllMocks();
    // The broker redelivers the unacknowledged message; before, it was taken as already journalled.
    await journal.appendAck(ack);
    await journal.close();
    const again = new Journal(dir, logger);
    await again.open();
    expect(again.remembered().acks).toEqual([ack]);
    await again.close();
  });

  it('compacts away episodes cleared and told, keeping the last "cleared" and what is unfinished', async () => {
    const dir = journalDir();
    const journal = new Journal(dir, logger);
    await journal.open();
    const firing = notification('ana', 'email');
    const clear = notification('ana', 'email', 'clear');
    await journal.appendPlanned([firing, clear]);
    await journal.close();
    const older = { ...firing, since: T0 - 3_600_000 };
    const olderId = notificationId(older);
    await writeFile(
      join(dir, JOURNAL_FILE),
      `${JSON.stringify({ t: 'planned', notification: { ...older, id: olderId } })}\n${JSON.stringify({ t: 'outcome', id: olderId, outcome: 'sent', attempt: 1, time: T0, firstAttemptAt: T0 })}\n${await readFile(join(dir, JOURNAL_FILE), 'utf8')}`,
    );
    const ledger = await new Journal(dir, logger).open();
    expect(ledger.has(olderId)).toBe(false);
    expect(ledger.has(firing.id) && ledger.has(clear.id)).toBe(true);
  });
});

describe('dispatcher', () => {
  it('sends each channel on its own: a hanging SMTP server does not hold up the webhook', async () => {
    const journal = new Journal(journalDir(), logger);
    const ledger = await journal.open();
    const email = new ManualChannel();
    const webhook = new AnsweringChannel([]);
    const records: AlertDelivery[] = [];
    const dispatcher = new Dispatcher({
      ledger,
      journal,
      channels: { email, webhook },
      retry: DeliveryRetrySchema.parse({}),
      subscribers: () => subscribers(),
      publish: (record) => records.push(record),
      logger,
      now: () => T0,
    });
    ledger.add(notification('ben', 'email'));
    ledger.add(notification('ben', 'webhook'));
    dispatcher.run();
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ channel: 'webhook', outcome: 'sent', subscriber: 'ben', attempt: 1 });
    expect(dispatcher.sending).toBe(1);
    dispatcher.run();
    expect(email.calls).toHaveLength(1);
    email.calls[0]?.settle({ ok: true });
    await dispatcher.drain();
    expect(records.map((record) => `${record.channel} ${record.outcome}`)).toEqual([
      'webhook sent',
      'email sent',
    ]);
    await journal.close();
  });

  it('retries what may succeed later with back-off and gives up after the retry period', async () => {
    const journal = new Journal(journalDir(), logger);
    const ledger = await journal.open();
    let now = T0;
    const failing: SendResult = { ok: false, error: 'POST answered 503', retryable: true };
    const webhook = new AnsweringChannel(Array.from({ length: 50 }, () => failing));
    const records: AlertDelivery[] = [];
    const dispatcher = new Dispatcher({
      ledger,
      journal,
      channels: { email: new AnsweringChannel([]), webhook },
      retry: DeliveryRetrySchema.parse({
        initialDelayMs: 1000,
        maxDelayMs: 4000,
        jitter: 0,
        giveUpAfterMs: 10_000,
      }),
      subscribers: () => subscribers(),
      publish: (record) => records.push(record),
      logger,
      now: () => now,
    });
    const n = notification('ben', 'webhook');
    ledger.add(n);
    while (ledger.get(n.id)?.status !== 'failed') {
      dispatcher.run();
      await dispatcher.drain();
      now = ledger.get(n.id)?.dueAt ?? now;
    }
    expect(records.map((record) => `${record.outcome}@${record.time - T0}`)).toEqual([
      'retrying@0',
      'retrying@1000',
      'retrying@3000',
      'retrying@7000',
      'failed@10000',
    ]);
    await journal.close();
  });
});
