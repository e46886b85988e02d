#!/usr/bin/env node
import { runMain } from './run-main.js';

type Command = (argv: readonly string[]) => Promise<number>;

// Each command is imported when it is run, so a gateway on a small Pi never loads the broker, the
// ingest, InfluxDB's client or the HTTP server that other commands need.
const COMMANDS: Readonly<Record<string, { load: () => Promise<Command>; summary: string }>> = {
  up: {
    load: async () => (await import('./commands/up.js')).upCommand,
    summary: 'broker + ingest + alerts + API in one process (a station server)',
  },
  broker: {
    load: async () => (await import('./commands/broker.js')).brokerCommand,
    summary: 'the MQTT broker (Aedes) with per-gateway accounts and rights',
  },
  ingest: {
    load: async () => (await import('./commands/ingest.js')).ingestCommand,
    summary: 'MQTT readings into InfluxDB, quarantine, sequence tracking, alerts',
  },
  notify: {
    load: async () => (await import('./commands/notify.js')).notifyCommand,
    summary: 'alert notifications by email and signed webhook (repeats, escalation, acks, silences)',
  },
  api: {
    load: async () => (await import('./commands/api.js')).apiCommand,
    summary: 'the HTTP query API',
  },
  gateway: {
    load: async () => (await import('./commands/gateway.js')).gatewayCommand,
    summary: 'a gateway: read sensors, publish readings (on the Pi); `gateway check` tries every sensor',
  },
  ports: {
    load: async () => (await import('./commands/ports.js')).portsCommand,
    summary: "this machine's serial ports, with USB ids and serial numbers",
  },
  simulate: {
    load: async () => (await import('./commands/simulate.js')).simulateCommand,
    summary: 'simulated gateways of both stations, for demos and load tests',
  },
  account: {
    load: async () => (await import('./commands/account.js')).accountCommand,
    summary: 'add, list, rotate and remove broker accounts',
  },
  apikey: {
    load: async () => (await import('./commands/apikey.js')).apikeyCommand,
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
  const run = await command.load();
  return run(rest);
}

runMain(main);
