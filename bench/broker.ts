/**
 * `npm run bench:broker`: broker throughput, many publishers -> one subscriber, for our BrokerServer,
 * a plain Aedes and Debian's mosquitto, each started here in its own process on a free loopback port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionAccount } from '../broker/index.js';
import { gatewayTopic } from '../protocol/index.js';
import { BENCH_STATION, gatewayId, loadBatch } from './batches.js';
import { runBenchMain } from './bench-main.js';
import { mosquittoVersion, type RunningBroker, startMosquitto, startNodeBroker } from './broker/brokers.js';
import type { ClientLogin, PublisherSpec } from './broker/messages.js';
import {
  type BrokerBenchOptions,
  BrokerBenchUsageError,
  type BrokerKind,
  parseBrokerBenchOptions,
  USAGE,
} from './broker/options.js';
import { renderText } from './broker/render-text.js';
import {
  assembleResults,
  type BrokerBenchResults,
  type CaseFailure,
  type RoundResult,
} from './broker/results.js';
import { runCase } from './broker/run-case.js';
import { turnOrder } from './broker/turn-order.js';

const DAY_MS = 86_400_000;
/** What the subscriber reads: everything under the contract's root, like the ingest. */
const SUBSCRIBER_FILTER = 'fs/v1/#';

function say(message: string): void {
  process.stderr.write(`bench:broker: ${message}\n`);
}

interface Logins {
  credentialsFile: string;
  publishers: PublisherSpec[];
  subscriber: ClientLogin;
}

/**
 * Client accounts with pattern rights, the costliest rights there are: each publisher (named after
 * its gateway, and connecting with that client id) may publish under `fs/v1/+/%c/#` except
 * `fs/v1/+/%c/config`; the subscriber may read `fs/v1/#` except every gateway's `config`, a deny
 * that overlaps its subscription, so every copy it receives is checked at delivery.
 */
const PUBLISHER_RIGHTS = { publish: ['fs/v1/+/%c/#'], denyPublish: ['fs/v1/+/%c/config'] };
const SUBSCRIBER_RIGHTS = { subscribe: [SUBSCRIBER_FILTER], denySubscribe: ['fs/v1/+/+/config'] };
const NO_RIGHTS = { publish: [], subscribe: [], denyPublish: [], denySubscribe: [] };

/** One client account per publisher, on its own readings topic, and one for the subscriber. */
async function provisionLogins(dir: string, publishers: number): Promise<Logins> {
  const credentialsFile = join(dir, 'broker', 'accounts.json');
  const specs: PublisherSpec[] = [];
  for (let index = 0; index < publishers; index++) {
    const gateway = gatewayId(index);
    const issued = await provisionAccount(credentialsFile, {
      kind: 'client',
      name: gateway,
      ...NO_RIGHTS,
      ...PUBLISHER_RIGHTS,
    });
    specs.push({
      clientId: gateway,
      ...issued,
      topic: gatewayTopic({ station: BENCH_STATION, gateway }, 'readings'),
    });
  }
  const reader = await provisionAccount(credentialsFile, {
    kind: 'client',
    name: 'bench-reader',
    ...NO_RIGHTS,
    ...SUBSCRIBER_RIGHTS,
  });
  return { credentialsFile, publishers: specs, subscriber: { clientId: reader.username, ...reader } };
}

function startBroker(kind: BrokerKind, dir: string, logins: Logins, options: BrokerBenchOptions) {
  switch (kind) {
    case 'ours':
      return startNodeBroker(
        { kind, credentialsFile: logins.credentialsFile, logLevel: options.logLevel },
        options.profile,
      );
    case 'aedes':
      return startNodeBroker({ kind }, options.profile);
    case 'mosquitto':
      return startMosquitto(dir);
  }
}

interface RunState {
  broker: RunningBroker | undefined;
}

async function measure(
  options: BrokerBenchOptions,
  dir: string,
  state: RunState,
): Promise<BrokerBenchResults> {
  const logins = await provisionLogins(dir, options.publishers);
  const payload = loadBatch(Date.now() - 2 * DAY_MS, options.batch, 1);
  const header = {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    mosquitto: options.brokers.includes('mosquitto') ? await mosquittoVersion() : 'not run',
    payloadBytes: Buffer.byteLength(payload),
    options,
  };
  const cases: RoundResult[] = [];
  const failures: CaseFailure[] = [];
  // The brokers take turns per QoS and round, so each comparison is between cases minutes apart at
  // most: on a shared machine the load of other processes drifts less between them. Who goes
  // first moves on each round (turnOrder).
  for (let round = 1; round <= options.rounds; round++) {
    for (const qos of options.qos) {
      for (const kind of turnOrder(options.brokers, round)) {
        say(`round ${round}: ${kind}, QoS ${qos}`);
        try {
          state.broker = await startBroker(kind, dir, logins, options);
          const result = await runCase({
            broker: state.broker,
            qos,
            publishers: logins.publishers,
            subscriber: logins.subscriber,
            filter: SUBSCRIBER_FILTER,
            payload,
            window: options.window,
            warmupMs: options.warmup * 1000,
            measureMs: options.seconds * 1000,
            drainTimeoutMs: options.drainTimeout * 1000,
          });
          cases.push({ ...result, round });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          say(`round ${round}: ${kind}, QoS ${qos} failed: ${message}`);
          failures.push({ broker: kind, qos, round, message });
        } finally {
          await state.broker?.stop();
          state.broker = undefined;
        }
      }
    }
  }
  return assembleResults(header, cases, failures);
}

async function run(options: BrokerBenchOptions): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-broker-'));
  const state: RunState = { broker: undefined };
  const abort = (reason: string, code: number): void => {
    say(`${reason}; stopping`);
    void (state.broker?.stop() ?? Promise.resolve())
      .then(() => rm(dir, { recursive: true, force: true }))
      .finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  try {
    const results = await measure(options, dir, state);
    process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderText(results));
    return results.ok ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BrokerBenchOptions | undefined;
  try {
    options = parseBrokerBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof BrokerBenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n(npm run bench:broker -- --help lists the options)\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return run(options);
}

runBenchMain('bench:broker', main);
