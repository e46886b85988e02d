#!/usr/bin/env node
import { ZodError } from 'zod';
import { accountCommand } from './commands/account.js';
import { apiCommand } from './commands/api.js';
import { apikeyCommand } from './commands/apikey.js';
import { brokerCommand } from './commands/broker.js';
import { gatewayCommand } from './commands/gateway.js';
import { ingestCommand } from './commands/ingest.js';
import { notifyCommand } from './commands/notify.js';
import { portsCommand } from './commands/ports.js';
import { simulateCommand } from './commands/simulate.js';
import { upCommand } from './commands/up.js';
import { UsageError } from './options.js';

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  up: { run: upCommand, summary: 'broker + ingest + alerts + API in one process (a station server)' },
  broker: { run: brokerCommand, summary: 'the MQTT broker (Aedes) with per-gateway accounts and rights' },
  ingest: {
    run: ingestCommand,
    summary: 'MQTT readings into InfluxDB, quarantine, sequence tracking, alerts',
  },
  notify: {
    run: notifyCommand,
    summary: 'alert notifications by email and signed webhook (repeats, escalation, acks, silences)',
  },
  api: { run: apiCommand, summary: 'the HTTP query API' },
  gateway: {
    run: gatewayCommand,
    summary: 'a gateway: read sensors, publish readings (on the Pi); `gateway check` tries every sensor',
  },
  ports: { run: portsCommand, summary: "this machine's serial ports, with USB ids and serial numbers" },
  simulate: {
    run: simulateCommand,
    summary: 'simulated gateways of both stations, for demos and load tests',
  },
  account: { run: accountCommand, summary: 'add, list, rotate and remove broker accounts' },
  apikey: {
    run: apikeyCommand,
    summary: 'add, list and revoke keys of the HTTP API (roles reader, technician, admin)',
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return [
    'Usage: fieldstation <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'fieldstation <command> --help lists its options and their FS_ variables.',
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    process.stdout.write(usage());
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  return command.run(rest);
}

/** One line (or a few) a person can act on: the error's code, what went wrong, and a hint where we know one. */
function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return `usage: ${error.message}`;
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
    return `invalid settings (see --help):\n  ${issues.join('\n  ')}`;
  }
  const coded = error as { code?: unknown; message?: unknown };
  const prefix = typeof coded.code === 'string' ? coded.code : 'error';
  const hint =
    coded.code === 'EADDRINUSE'
      ? '\nAnother process listens on that port (a system mosquitto or influxd?); pick another with --mqtt-port/--http-port or FS_MQTT_PORT/FS_HTTP_PORT.'
      : '';
  return `${prefix}: ${String(coded.message ?? error)}${hint}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fieldstation: ${describeFailure(error)}\n`);
    process.exitCode = error instanceof UsageError || error instanceof ZodError ? 2 : 1;
  },
);
