import { z } from 'zod';
import { columnReader, QUARANTINE, type QuerySeries } from '../../../influx/index.js';
import { cutText } from '../../views/cut-text.js';
import { isoTime } from '../../views/iso-time.js';

/** Longest `reason` a listed record shows; records stored before the ingest bounded it may hold megabytes. */
export const REASON_MAX_CHARS = 1024;
/** Longest `payload` a listed record shows: enough to see what was sent. */
export const PAYLOAD_MAX_CHARS = 4096;

const text = z.string().nullable();

export const QuarantineRecordSchema = z.object({
  time: z.string().describe('when the message was received'),
  code: z.string().describe('why it was refused, e.g. PAYLOAD_INVALID'),
  station: text,
  gateway: text,
  topic: text,
  reason: text.describe(`cut to ${REASON_MAX_CHARS} characters`),
  reasonTruncated: z.boolean().describe('true when the stored reason is longer than the one shown'),
  payload: text.describe(`the raw payload as received, cut to ${PAYLOAD_MAX_CHARS} characters`),
  payloadTruncated: z.boolean().describe('true when the stored payload is longer than the one shown'),
  bytes: z.number().int().nullable().describe("the payload's full size as received"),
});

export type QuarantineRecord = z.infer<typeof QuarantineRecordSchema>;

const stringOrNull = (cell: unknown) => (typeof cell === 'string' ? cell : null);

function cutCell(cell: unknown, maxChars: number): { text: string | null; cut: boolean } {
  return typeof cell === 'string' ? cutText(cell, maxChars) : { text: null, cut: false };
}

/** One chunk of the quarantine query as records; columns are found by name, absent cells become null. */
export function quarantineRecords({ columns, values }: QuerySeries): QuarantineRecord[] {
  const cell = columnReader(QUARANTINE, columns);
  return values.flatMap((row) => {
    const time = cell(row, 'time');
    if (typeof time !== 'number') return [];
    const bytes = cell(row, 'bytes');
    const reason = cutCell(cell(row, 'reason'), REASON_MAX_CHARS);
    const payload = cutCell(cell(row, 'payload'), PAYLOAD_MAX_CHARS);
    return [
      {
        time: isoTime(time),
        code: stringOrNull(cell(row, 'code')) ?? 'UNKNOWN',
        station: stringOrNull(cell(row, 'station')),
        gateway: stringOrNull(cell(row, 'gateway')),
        topic: stringOrNull(cell(row, 'topic')),
        reason: reason.text,
        reasonTruncated: reason.cut,
        payload: payload.text,
        payloadTruncated: payload.cut,
        bytes: typeof bytes === 'number' ? bytes : null,
      },
    ];
  });
}
