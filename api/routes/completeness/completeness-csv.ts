import { csvNumber, csvRecord, csvText } from '../../views/csv.js';
import type { CompletenessDocument, GatewayWindow, SensorWindow } from './completeness-schema.js';

export const COMPLETENESS_CSV_COLUMNS = [
  'station',
  'gateway',
  'sensor',
  'quantity',
  'from',
  'to',
  'interval_ms',
  'expected',
  'received',
  'missing',
  'messages',
  'duplicates',
  'late',
  'gap_count',
  'gaps',
  'gaps_truncated',
] as const;

interface SensorCells {
  sensor: string;
  quantity: string;
  intervalMs: number | null;
  window: SensorWindow;
}

function sensorCells(cells: SensorCells | undefined): string[] {
  if (cells === undefined) return ['', '', '', '', '', ''];
  const { window } = cells;
  return [
    csvText(cells.sensor),
    csvText(cells.quantity),
    csvNumber(cells.intervalMs),
    csvNumber(window.expected),
    csvNumber(window.received),
    csvNumber(window.missing),
  ];
}

function gapCells(window: SensorWindow | undefined): string[] {
  if (window?.gaps == null) return ['', '', ''];
  // ISO 8601 intervals, start/end: one cell a spreadsheet keeps as text.
  const spans = window.gaps.map(([from, to]) => `${from}/${to}`).join(' ');
  return [csvNumber(window.gaps.length), csvText(spans), csvText(String(window.gapsTruncated))];
}

function row(station: string, gateway: string, own: GatewayWindow | undefined, sensor?: SensorCells): string {
  const [sensorId = '', quantity = '', ...counts] = sensorCells(sensor);
  return csvRecord([
    csvText(station),
    csvText(gateway),
    sensorId,
    quantity,
    csvText(sensor?.window.from ?? own?.from ?? ''),
    csvText(sensor?.window.to ?? own?.to ?? ''),
    ...counts,
    csvNumber(own?.messages ?? null),
    csvNumber(own?.duplicates ?? null),
    csvNumber(own?.late ?? null),
    ...gapCells(sensor?.window),
  ]);
}

/**
 * The report as CSV, one row per gateway, sensor row and window; the gateway's message figures repeat
 * on each of its sensor rows, and a gateway without sensor rows has one row per window of its own.
 */
export function encodeCompletenessCsv(document: CompletenessDocument): string {
  const { station } = document;
  const rows = document.gateways.flatMap(({ gateway, windows, sensors }) => {
    if (sensors.length === 0) return windows.map((own) => row(station, gateway, own));
    return sensors.flatMap(({ sensor, quantity, intervalMs, windows: sensorWindows }) =>
      sensorWindows.map((window, index) =>
        row(station, gateway, windows[index], { sensor, quantity, intervalMs, window }),
      ),
    );
  });
  return csvRecord(COMPLETENESS_CSV_COLUMNS.map(csvText)) + rows.join('');
}
