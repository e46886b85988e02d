import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import type { GatewayAddress } from '../../protocol/index.js';
import type { Spool, SpoolPosition } from '../spool/spool.js';
import { NOTE_PREFIX } from '../spool/spool-chunk.js';
import { SequenceStateSchema, SequenceTracker } from './sequence-tracker.js';

const NOTE_TAG = `${NOTE_PREFIX}seq `;

const SnapshotSchema = z.object({
  position: z.object({ segment: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }),
  state: SequenceStateSchema,
});

/** One readings message's place in its gateway's sequence, written into the spool with its points. */
export function sequenceNote(address: GatewayAddress, seq: number, conflicts: number): string {
  return `${NOTE_TAG}${address.station} ${address.gateway} ${seq} ${conflicts}\n`;
}

function replay(tracker: SequenceTracker, note: string): void {
  if (!note.startsWith(NOTE_TAG)) return;
  const [station, gateway, seq, conflicts] = note.slice(NOTE_TAG.length).split(' ');
  if (station === undefined || gateway === undefined) return;
  const address = { station, gateway };
  tracker.record(address, Number(seq));
  tracker.recordConflicts(address, Number(conflicts ?? 0));
}

/**
 * Makes the sequence statistics survive any restart, crash included: each message's note goes into
 * the spool in the same write as its points (so a message is acknowledged only with its note), and a
 * snapshot of the tracker is written now and then with the spool position it covers. On start the
 * snapshot is loaded and the notes written after it are replayed; only then may the spool delete the
 * segments the snapshot covers.
 */
export class SequenceJournal {
  constructor(
    private readonly file: string,
    private readonly spool: Spool,
  ) {}

  async restore(): Promise<SequenceTracker> {
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const from: SpoolPosition = { segment: 0, offset: 0 };
    let tracker = new SequenceTracker();
    if (text !== undefined) {
      const snapshot = SnapshotSchema.parse(JSON.parse(text));
      tracker = SequenceTracker.fromState(snapshot.state);
      Object.assign(from, snapshot.position);
    }
    for (const note of this.spool.notesSince(from)) replay(tracker, note);
    return tracker;
  }

  /** Writes the tracker as it stands at the spool's current position, atomically. */
  async snapshot(tracker: SequenceTracker): Promise<void> {
    const position = this.spool.position;
    await replaceFile(this.file, JSON.stringify({ position, state: tracker.exportState() }));
    this.spool.releaseBelow(position.segment);
  }
}
