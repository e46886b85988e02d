import { crc32 } from 'node:zlib';
import {
  type JournalPacket,
  type JournalRecord,
  JournalRecordSchema,
  type StateChange,
  type StoredPacket,
} from './journal-records.js';

/**
 * The journal is a sequence of frames, one per write: a header line `J <bytes> <crc32 in hex>`,
 * then that many bytes of records, one JSON object per line. The header's length and checksum
 * cover the whole frame, so a frame that a crash cut short or left half overwritten is recognised
 * at once; none of its records had been confirmed to anyone, since a write confirms its records
 * only once it has completed. One checksum per write rather than per record: the pipeline writes a
 * frame per event-loop turn holding many records.
 */
const FRAME_MARK = 'J';
const NEWLINE = 0x0a;
const HEADER = /^J (\d{1,12}) ([0-9a-f]{8})$/;
/** A header is short; anything longer before its newline is not one. */
const MAX_HEADER_BYTES = 32;

function storedPacket({ payload, ...rest }: JournalPacket): StoredPacket {
  return payload === undefined ? rest : { ...rest, payload: Buffer.from(payload, 'base64') };
}

function toChange(record: JournalRecord): StateChange {
  return 'packet' in record ? { ...record, packet: storedPacket(record.packet) } : record;
}

/** One record as a line of a frame's body. JSON escapes newlines, so a line ends where its record does. */
export function encodeRecord(change: StateChange): string {
  if (!('packet' in change)) return `${JSON.stringify(change)}\n`;
  const { packet, ...rest } = change;
  const { payload, ...fields } = packet;
  if (payload === undefined) return `${JSON.stringify(change)}\n`;
  // The payload goes in after stringify: base64 never needs escaping, and scanning kilobytes of it
  // for characters to escape was most of what a journal write of a readings message cost.
  // Everything but the packet's and the record's closing braces (`packet` is the record's last key).
  const head = JSON.stringify({ ...rest, packet: fields }).slice(0, -2);
  const separator = head.endsWith('{') ? '' : ',';
  return `${head}${separator}"payload":"${payload.toString('base64')}"}}\n`;
}

/** A frame holding `records` (lines from encodeRecord), ready to append. */
export function encodeFrame(records: string): Buffer {
  const body = Buffer.from(records, 'utf8');
  const header = `${FRAME_MARK} ${body.length} ${crc32(body).toString(16).padStart(8, '0')}\n`;
  return Buffer.concat([Buffer.from(header, 'latin1'), body]);
}

export interface DecodedJournal {
  changes: StateChange[];
  /** Bytes of whole, intact frames from the start of the file: where the next frame goes. */
  intactBytes: number;
  /** Bytes after them: a frame cut short by a crash, or anything that follows a damaged one. */
  tornBytes: number;
}

function decodeBody(body: Buffer): StateChange[] | undefined {
  const changes: StateChange[] = [];
  for (const line of body.toString('utf8').split('\n')) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    const parsed = JournalRecordSchema.safeParse(value);
    if (!parsed.success) return undefined;
    changes.push(toChange(parsed.data));
  }
  return changes;
}

/** The frame at `offset`: its records and where the next begins, or undefined if it is not whole and intact. */
function decodeFrame(content: Buffer, offset: number): { changes: StateChange[]; end: number } | undefined {
  const headerEnd = content.indexOf(NEWLINE, offset);
  if (headerEnd === -1 || headerEnd - offset > MAX_HEADER_BYTES) return undefined;
  const header = HEADER.exec(content.toString('latin1', offset, headerEnd));
  if (header === null) return undefined;
  const end = headerEnd + 1 + Number(header[1]);
  if (end > content.length) return undefined;
  const body = content.subarray(headerEnd + 1, end);
  if (crc32(body).toString(16).padStart(8, '0') !== header[2]) return undefined;
  const changes = decodeBody(body);
  return changes === undefined ? undefined : { changes, end };
}

/**
 * The records of a journal up to the first frame that is not whole and intact. Nothing after a
 * damaged frame is trusted: records only make sense in order.
 */
export function decodeJournal(content: Buffer): DecodedJournal {
  const changes: StateChange[] = [];
  let offset = 0;
  while (offset < content.length) {
    const frame = decodeFrame(content, offset);
    if (frame === undefined) break;
    for (const change of frame.changes) changes.push(change);
    offset = frame.end;
  }
  return { changes, intactBytes: offset, tornBytes: content.length - offset };
}
