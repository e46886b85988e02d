import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { provisionAccount } from '../../../broker/index.js';
import { EmulatedGateway } from '../../../emulators/index.js';
import { loadGatewayConfig, readConfigDocument } from '../../../firmware-bridge/index.js';
import { freePort } from '../../../influx/index.js';
import { addKeyIn, bearer } from '../../harness/api-keys.js';
import { CliProcess, cleanEnv, REPO_ROOT } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/tls-certs.js';
import {
  type SmtpReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../notify/receivers.js';

// Issue 9's promise on real parts: the emulated Xuefeng reference gateway (every instrument on a
// virtual serial port, the gateway a child process) publishes to `fieldstation up` (broker, ingest,
// API, notifier, private influxd: another child process); the test drives the instruments into
// icing weather and ice growth and reads what a real SMTP server and a real webhook receiver get.

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SMTP_LOGIN = { user: 'alerts', pass: 'correct horse battery staple' };
const GATEWAY = 'line-gw-1-emu';
const WAIT = { timeout: 60_000, interval: 250 };

/** Conductor load (kN) on string 1 for a radial ice thickness (mm), as the gateway's derived channel inverts it. */
function loadForIce(mm: number): number {
  const d = 0.0268;
  const t = mm / 1000;
  const iceNPerM = 900 * 9.81 * Math.PI * t * (d + t);
  return 5.32 + (iceNPerM * 400) / 1000;
}

const RULES = {
  rules: [
    {
      id: 'conductor-icing',
      station: 'xuefeng',
      quantity: 'ice-thickness',
      unit: 'mm',
      op: 'above',
      threshold: 10,
      clearAt: 8,
      severity: 'critical',
      description: 'conductor icing at 50% of the 20 mm design ice thickness',
    },
    {
      id: 'icing-weather',
      kind: 'composite',
      station: 'xuefeng',
      all: [
        { sensor: 'air-temp-1', unit: 'Cel', op: 'below', threshold: 0, clearAt: 1 },
        { sensor: 'air-rh-1', unit: '%', op: 'above', threshold: 89.9, clearAt: 85 },
      ],
      for: '3s',
      severity: 'info',
    },
    {
      id: 'line-gateway-offline',
      kind: 'gateway-offline',
      station: 'xuefeng',
      after: '3s',
      severity: 'critical',
    },
  ],
};

/** What the instruments measure now: the test turns the weather and the ice up and down. */
const measured = new Map<string, number>([
  ['air-temp-1', 3],
  ['air-rh-1', 70],
  ['conductor-load-1', loadForIce(0)],
  ['conductor-load-2', 5.05],
]);

let dir: string;
let certs: TestCertificates;
let smtp: SmtpReceiver;
let hook: WebhookReceiver;
let emulated: EmulatedGateway;
let gatewayConfigFile: string;
let env: NodeJS.ProcessEnv;
let apiUrl: string;
/** The key of the technician on duty, who reads alerts and acknowledges them. */
let technician: { authorization: string };
let up: CliProcess;
let gateway: CliProcess;

function startUp(): CliProcess {
  return CliProcess.start(['up'], env);
}

function startGateway(): CliProcess {
  return CliProcess.start(['gateway', '--config', gatewayConfigFile], cleanEnv({ FS_LOG_LEVEL: 'info' }));
}

async function stopped(process: CliProcess, signal: NodeJS.Signals): Promise<void> {
  process.signal(signal);
  await process.exited;
}

/** The webhooks and emails about one rule, in arrival order, by their reason. */
function webhookReasons(rule: string): string[] {
  return hook.requests.filter((r) => r.body.data.rule === rule).map((r) => String(r.body.data.reason));
}

function mailSubjects(rule: string): string[] {
  return smtp.mails.filter((mail) => mail.subject.includes(` ${rule} `)).map((mail) => mail.subject);
}

/** Log records of the notifier planning a notification, after the record `after` (in that process's order). */
function plannedAfter(process: CliProcess, after?: LogRecord): LogRecord[] {
  const records = process.logs.records;
  const start = after === undefined ? 0 : records.indexOf(after) + 1;
  return records.slice(start).filter((record) => record.msg === 'notification planned');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-icing-'));
  certs = await makeTestCertificates([]);
  smtp = await startSmtpReceiver(certs.server, SMTP_LOGIN);
  hook = await startWebhookReceiver(SECRET);
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${httpPort}`;

  const alertsFile = join(dir, 'alerts.yaml');
  await writeFile(alertsFile, stringify(RULES));
  const subscribersFile = join(dir, 'subscribers.yaml');
  await writeFile(
    subscribersFile,
    stringify({
      apiUrl,
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        user: SMTP_LOGIN.user,
        passwordEnv: 'TEST_SMTP_PASSWORD',
        from: 'alerts@example.org',
        caFile: certs.caFile,
      },
      contacts: [
        { name: 'lineman', email: 'lineman@example.org', webhook: { url: hook.url, secret: SECRET } },
      ],
      // Repeats every 3 s while unacknowledged; a flapping window short enough not to hold the clear.
      routes: [
        {
          name: 'xuefeng-line',
          stations: ['xuefeng'],
          rules: ['conductor-icing', 'line-gateway-offline'],
          chain: ['lineman'],
          repeatEvery: 0.05,
          flapWindow: 0.02,
        },
      ],
    }),
  );
  const dataDir = join(dir, 'data');
  technician = bearer(await addKeyIn(dataDir, { name: 'li', role: 'technician' }));
  env = cleanEnv({
    FS_DATA_DIR: dataDir,
    FS_MQTT_HOST: '127.0.0.1',
    FS_MQTT_PORT: String(mqttPort),
    FS_HTTP_HOST: '127.0.0.1',
    FS_HTTP_PORT: String(httpPort),
    FS_ALERTS_FILE: alertsFile,
    FS_SUBSCRIBERS_FILE: subscribersFile,
    FS_LOG_LEVEL: 'info',
    TEST_SMTP_PASSWORD: SMTP_LOGIN.pass,
  });

  // The reference gateway, every instrument emulated, sampling every second and sending at once.
  const configFile = join(REPO_ROOT, 'config', 'xuefeng-line-gw.yaml');
  const document = (await readConfigDocument(configFile)) as Record<string, unknown>;
  for (const sensor of document.sensors as Record<string, unknown>[]) sensor.intervalMs = 1000;
  const signals = await loadGatewayConfig(join(REPO_ROOT, 'config', 'simulate', 'xuefeng.yaml'));
  const gatewayDir = join(dir, 'gateway');
  const credentials = await provisionAccount(join(dataDir, 'broker', 'accounts.json'), {
    kind: 'gateway',
    station: 'xuefeng',
    gateway: GATEWAY,
  });
  emulated = new EmulatedGateway({
    document,
    configFile,
    signals: new Map(
      signals.sensors.flatMap((s) => (s.driver.type === 'simulator' ? [[s.id, s.driver]] : [])),
    ),
    measured: (sensorId) => measured.get(sensorId),
    dir: gatewayDir,
    intervalScale: 0.1,
    overrides: {
      gateway: GATEWAY,
      mqtt: {
        url: `mqtt://127.0.0.1:${mqttPort}`,
        username: credentials.username,
        passwordFile: 'mqtt-password',
      },
      batch: { maxReadings: 200, maxDelayMs: 200 },
    },
  });
  const started = await emulated.start();
  await writeFile(join(gatewayDir, 'mqtt-password'), `${credentials.password}\n`, { mode: 0o600 });
  gatewayConfigFile = join(gatewayDir, 'gateway.yaml');
  await writeFile(gatewayConfigFile, stringify(started.document));

  up = startUp();
  await up.waitForLog('station server ready');
  await up.waitForLog('notifier started');
  gateway = startGateway();
  await gateway.waitForLog('gateway started');
});

afterAll(async () => {
  await gateway?.kill();
  await up?.kill();
  await emulated?.stop();
  await hook?.stop();
  await smtp?.stop();
  await certs?.remove();
  await rm(dir, { recursive: true, force: true });
});

async function firing(): Promise<{ rule: string; since: string }[]> {
  const response = await fetch(`${apiUrl}/v1/alerts`, { headers: technician });
  return ((await response.json()) as { alerts: { rule: string; since: string }[] }).alerts;
}

/** The sample time of the first stored ice-thickness-1 reading above the rule's threshold. */
async function firstReadingAbove(threshold: number): Promise<number> {
  const url = `${apiUrl}/v1/series?station=xuefeng&sensor=ice-thickness-1&from=-1h`;
  const { series } = (await (await fetch(url, { headers: technician })).json()) as {
    series: { points: { time: string; value: number }[] }[];
  };
  const crossing = series[0]?.points.find((point) => point.value > threshold);
  if (crossing === undefined) throw new Error('no stored reading above the threshold');
  return Date.parse(crossing.time);
}

describe('icing on the emulated Xuefeng line gateway, through fieldstation up', () => {
  let ackRecorded: LogRecord;

  it('notifies icing once by email and by a signed webhook, within seconds of the crossing reading', async () => {
    measured.set('air-temp-1', -3).set('air-rh-1', 96).set('conductor-load-1', loadForIce(4));
    await vi.waitFor(
      async () => expect((await firing()).map((a) => a.rule)).toContain('icing-weather'),
      WAIT,
    );

    measured.set('conductor-load-1', loadForIce(13));
    await hook.waiter.until(() => webhookReasons('conductor-icing').includes('firing'));
    const webhookAt = Date.now();
    await smtp.waiter.until(() => mailSubjects('conductor-icing').length > 0);
    const mailAt = Date.now();
    const crossedAt = await firstReadingAbove(10);
    // Issue 9 asks for 5 s; the figure is printed, and the bound here only catches a stuck pipeline.
    console.info(
      `icing notified ${webhookAt - crossedAt} ms (webhook), ${mailAt - crossedAt} ms (email) after the crossing reading`,
    );
    expect(webhookAt - crossedAt).toBeLessThan(30_000);

    const [webhook] = hook.requests.filter((r) => r.body.data.rule === 'conductor-icing');
    expect(webhook).toMatchObject({
      verified: true,
      body: {
        type: 'fieldstation.alert.firing',
        data: { station: 'xuefeng', rule: 'conductor-icing', severity: 'critical', gateway: GATEWAY },
      },
    });
    expect(mailSubjects('conductor-icing')[0]).toMatch(/^\[CRITICAL\] xuefeng conductor-icing firing: /);
    const [mail] = smtp.mails;
    expect(mail).toMatchObject({ to: ['lineman@example.org'], secure: true, user: SMTP_LOGIN.user });
  });

  it('repeats while nobody acknowledges, and an ack stops the repeats', async () => {
    await hook.waiter.until(() => webhookReasons('conductor-icing').includes('repeat'));
    const response = await fetch(`${apiUrl}/v1/alerts/xuefeng/conductor-icing/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...technician },
      body: JSON.stringify({ by: 'li', comment: 'de-icing crew notified' }),
    });
    expect(response.status).toBe(200);
    ackRecorded = await up.waitForLog(
      'acknowledgement recorded',
      (record) => record.rule === 'conductor-icing',
    );
  });

  it('sends nothing again after a restart of up, and one "cleared" when the ice is gone', async () => {
    await stopped(up, 'SIGTERM');
    const before = up;
    up = startUp();
    await up.waitForLog('notifier started');
    // The ice is shed; the gateway's outbox carries what it measured while up was down.
    measured.set('conductor-load-1', loadForIce(2)).set('air-temp-1', 4).set('air-rh-1', 60);
    await hook.waiter.until(() => webhookReasons('conductor-icing').includes('clear'));
    await smtp.waiter.until(() => mailSubjects('conductor-icing').some((s) => s.includes(' cleared: ')));

    // After the ack: no repeat planned by the first process, and the second planned only the clear.
    expect(plannedAfter(before, ackRecorded).filter((r) => r.rule === 'conductor-icing')).toEqual([]);
    expect(
      plannedAfter(up)
        .filter((r) => r.rule === 'conductor-icing')
        .map((r) => [r.reason, r.channel]),
    ).toEqual(
      expect.arrayContaining([
        ['clear', 'email'],
        ['clear', 'webhook'],
      ]),
    );
    expect(plannedAfter(up).filter((r) => r.rule === 'conductor-icing')).toHaveLength(2);

    const reasons = webhookReasons('conductor-icing');
    expect(reasons.filter((reason) => reason === 'firing')).toHaveLength(1);
    expect(reasons.filter((reason) => reason === 'clear')).toHaveLength(1);
    expect(reasons.at(-1)).toBe('clear');
    const subjects = mailSubjects('conductor-icing');
    expect(subjects.filter((s) => s.includes('conductor-icing firing: '))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes('conductor-icing cleared: '))).toHaveLength(1);
    // Every webhook is a notification of its own: none was delivered twice.
    const ids = hook.requests.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tells of a killed gateway once, after its delay, and clears when it is back', async () => {
    await stopped(gateway, 'SIGKILL');
    await hook.waiter.until(() => webhookReasons('line-gateway-offline').includes('firing'));
    await smtp.waiter.until(() => mailSubjects('line-gateway-offline').length > 0);
    expect(mailSubjects('line-gateway-offline')[0]).toMatch(
      /^\[CRITICAL\] xuefeng line-gateway-offline firing/,
    );

    gateway = startGateway();
    await hook.waiter.until(() => webhookReasons('line-gateway-offline').includes('clear'));
    const reasons = webhookReasons('line-gateway-offline');
    expect(reasons.filter((reason) => reason === 'firing')).toHaveLength(1);
    expect(reasons.at(-1)).toBe('clear');
  });
});
