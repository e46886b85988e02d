import {
  type CheckReport,
  checkGateway,
  loadGatewayConfig,
  type SensorCheck,
} from '../../firmware-bridge/index.js';
import { createLogger } from '../logger.js';
import {
  formatHelp,
  type OptionSpec,
  parseCommandLine,
  requiredString,
  stringOption,
  UsageError,
} from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'config',
    env: 'FS_GATEWAY_CONFIG',
    kind: 'string',
    description: 'the gateway config file (YAML or JSON)',
  },
  { flag: 'samples', kind: 'string', default: '3', description: 'readings wanted per sensor' },
  { flag: 'timeout', kind: 'string', default: '60', description: 'seconds to wait for them at most' },
  {
    flag: 'interval-scale',
    kind: 'string',
    default: '0.01',
    description: 'multiplies polling intervals, so polled sensors answer quickly',
  },
  { flag: 'json', kind: 'boolean', description: 'print the report as JSON for scripts' },
  {
    flag: 'log-level',
    env: 'FS_LOG_LEVEL',
    kind: 'string',
    default: 'silent',
    description: 'log to stderr at this level',
  },
];

const USAGE = 'fieldstation gateway check --config FILE [options]';
const SUMMARY =
  'Opens every sensor of a gateway config as the gateway would, takes a few readings through calibration\n' +
  'and the QC range tests (it samples too fast for the time-based ones), and prints one line per sensor:\n' +
  'value, unit, QC flag and the last error. Nothing is published.\n' +
  'Exits 0 when every sensor gave a reading without error, 1 otherwise. Stop the gateway service first:\n' +
  'a serial port can be read by one program at a time.';

function positiveNumber(text: string | undefined, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${flag} must be a positive number, got "${text}"`);
  return value;
}

const QC_NAMES: Record<number, string> = {
  1: 'pass',
  2: 'not evaluated',
  3: 'suspect',
  4: 'fail',
  9: 'missing',
};

function cells(line: SensorCheck, wanted: number): string[] {
  const value = line.value === undefined ? '-' : String(Number(line.value.toPrecision(5)));
  const qc = line.qc === undefined ? '-' : `${line.qc} ${QC_NAMES[line.qc]}`;
  const status = line.status === 'ok' ? 'OK' : `${line.status.toUpperCase()}: ${line.problem}`;
  return [line.sensor, line.driver, value, line.unit, qc, `${line.samples}/${wanted}`, status];
}

/** A plain-text table that reads in a terminal and over a slow SSH link alike. */
export function renderCheckTable(report: CheckReport, wanted: number): string {
  const header = ['SENSOR', 'DRIVER', 'VALUE', 'UNIT', 'QC', 'READ', 'STATUS'];
  const rows = [header, ...report.sensors.map((line) => cells(line, wanted))];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  const table = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] as number)))
      .join('  '),
  );
  const failed = report.sensors.filter((line) => line.status === 'fail').length;
  const clock = [
    report.clock.state,
    report.clock.source,
    report.clock.offsetMs === undefined ? undefined : `offset ${report.clock.offsetMs} ms`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  return [
    `gateway ${report.station}/${report.gateway}: ${report.sensors.length} sensors checked in ${(report.durationMs / 1000).toFixed(1)} s; clock ${clock}`,
    '',
    ...table,
    '',
    failed === 0 ? 'All sensors OK.' : `${failed} sensor(s) FAILED.`,
    '',
  ].join('\n');
}

export async function gatewayCheckCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp(USAGE, SUMMARY, OPTIONS));
    return 0;
  }
  const samples = Math.round(positiveNumber(stringOption(values, 'samples'), 'samples'));
  const report = await checkGateway({
    config: await loadGatewayConfig(requiredString(values, 'config')),
    logger: createLogger(requiredString(values, 'log-level'), 'gateway-check', 2),
    samples,
    timeoutMs: positiveNumber(stringOption(values, 'timeout'), 'timeout') * 1000,
    intervalScale: positiveNumber(stringOption(values, 'interval-scale'), 'interval-scale'),
  });
  process.stdout.write(
    values.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderCheckTable(report, samples),
  );
  return report.passed ? 0 : 1;
}
