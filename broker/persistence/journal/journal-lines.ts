import { crc32 } from 'node:zlib';
import {
  type JournalPacket,
  type JournalRecord,
  JournalRecordSchema,
  type StateChange,
  type StoredPacket,
} from './journal-records.js';

/**
 * One record per line: its CRC-32 in 8 hex digits, a space, the record as JSON, a newline. JSON
 * escapes newlines, so a line ends only where a record does; a line cut short by a crash has no
 * newline or the wrong CRC, and so does a record half overwritten.
 */
const NEWLINE = 0x0a;
const CRC_DIGITS = 8;

function journalPacket({ payload, ...rest }: StoredPacket): JournalPacket {
  return payload === undefined ? rest : { ...rest, payload: payload.toString('base64') };
}

function storedPacket({ payload, ...rest }: JournalPacket): StoredPacket {
  return payload === undefined ? rest : { ...rest, payload: Buffer.from(payload, 'base64') };
}

function toRecord(change: StateChange): JournalRecord {
  return 'packet' in change ? { ...change, packet: journalPacket(change.packet) } : change;
}

function toChange(record: JournalRecord): StateChange {
  return 'packet' in record ? { ...record, packet: storedPacket(record.packet) } : record;
}

export function encodeLine(change: StateChange): string {
  const json = JSON.stringify(toRecord(change));
  return `${crc32(json).toString(16).padStart(CRC_DIGITS, '0')} ${json}\n`;
}

export interface DecodedJournal {
  changes: StateChange[];
  /** Bytes of whole, intact records from the start of the file: where the next record goes. */
  intactBytes: number;
  /** Bytes after them: a record cut short by a crash, or anything that follows a damaged one. */
  tornBytes: number;
}

function decodeLine(line: string): StateChange | undefined {
  const json = line.slice(CRC_DIGITS + 1);
  if (
    line[CRC_DIGITS] !== ' ' ||
    crc32(json).toString(16).padStart(CRC_DIGITS, '0') !== line.slice(0, CRC_DIGITS)
  ) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = JournalRecordSchema.safeParse(value);
  return parsed.success ? toChange(parsed.data) : undefined;
}

/**
 * The records of a journal up to the first one that is not whole and intact. Nothing after a
 * damaged record is trusted: records only make sense in order.
 */
export function decodeJournal(content: Buffer): DecodedJournal {
  const changes: StateChange[] = [];
  let offset = 0;
  while (offset < content.length) {
    const end = content.indexOf(NEWLINE, offset);
    if (end === -1) break;
    const change = decodeLine(content.toString('utf8', offset, end));
    if (change === undefined) break;
    changes.push(change);
    offset = end + 1;
  }
  return { changes, intactBytes: offset, tornBytes: content.length - offset };
}
