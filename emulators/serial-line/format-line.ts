import type { LineFormat } from '../../firmware-bridge/drivers/serial-line/contract.js';

/** The line an instrument speaking `format` sends for one value. Pure; the inverse of the line parser. */
export function formatLine(format: LineFormat, channel: string, value: number, timeMs: number): string {
  const time = new Date(timeMs).toISOString();
  switch (format.type) {
    case 'value':
      return String(value);
    case 'kv':
      return `${format.channelKey}=${channel} ${format.valueKey}=${value} ${format.timeKey}=${time}`;
    case 'csv': {
      const cells: Record<(typeof format.columns)[number], string> = {
        channel,
        value: String(value),
        time,
        skip: '',
      };
      return format.columns.map((column) => cells[column]).join(format.delimiter);
    }
    case 'regex':
      // A pattern says how to read a line, not how to write one.
      throw new Error(`cannot emulate a device whose lines are described by a regex (channel "${channel}")`);
  }
}
