import { z } from 'zod';
import type { QuerySeries } from '../../../influx/index.js';
import { isoTime } from '../../views/iso-time.js';

const text = z.string().nullable();

export const QuarantineRecordSchema = z.object({
  time: z.string().describe('when the message was received'),
  code: z.string().describe('why it was refused, e.g. PAYLOAD_INVALID'),
  station: text,
  gateway: text,
  topic: text,
  reason: text,
  payload: text.describe('the raw payload as received'),
  bytes: z.number().int().nullable(),
});

export type QuarantineRecord = z.infer<typeof QuarantineRecordSchema>;

const stringOrNull = (cell: unknown) => (typeof cell === 'string' ? cell : null);

/** Rows of the quarantine query as records; columns are found by name, absent cells become null. */
export function quarantineRecords(series: readonly QuerySeries[]): QuarantineRecord[] {
  return series.flatMap(({ columns, values }) => {
    const cell = (row: unknown[], column: string) => row[columns.indexOf(column)];
    return values.flatMap((row) => {
      const time = cell(row, 'time');
      if (typeof time !== 'number') return [];
      const bytes = cell(row, 'bytes');
      return [
        {
          time: isoTime(time),
          code: stringOrNull(cell(row, 'code')) ?? 'UNKNOWN',
          station: stringOrNull(cell(row, 'station')),
          gateway: stringOrNull(cell(row, 'gateway')),
          topic: stringOrNull(cell(row, 'topic')),
          reason: stringOrNull(cell(row, 'reason')),
          payload: stringOrNull(cell(row, 'payload')),
          bytes: typeof bytes === 'number' ? bytes : null,
        },
      ];
    });
  });
}
