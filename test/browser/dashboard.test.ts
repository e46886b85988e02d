import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IssuedKey } from '../../api/keys/api-key.js';
import { FileKeyStore } from '../../api/keys/file-key-store.js';
import { StationServer } from '../../cli/station-server.js';
import type { SeriesDocument } from '../../dashboard/api-types.js';
import type { DrawnPlot } from '../../dashboard/series/plot-data.js';
import { addKeyIn, keysFileIn } from '../harness/api-keys.js';
import { launchChromium, screenshot } from '../harness/browser.js';
import { buildDashboard } from '../harness/dashboard-build.js';
import { LogRecorder } from '../harness/log-recorder.js';
import { ARCHIVE, writeArchiveYear, YEAR_POINTS } from './archive-year.js';

// The dashboard in headless Chromium against `up --simulate` on real parts (broker, ingest with a
// rule that fires at once, private influxd, API): what a person does, checked against the API.

const RULES = `rules:
  - id: cave-co2-present
    station: jinfo
    quantity: co2
    unit: "[ppm]"
    op: above
    threshold: 0
    clearAt: 0
    severity: warning
    description: any CO2 at all (a rule that fires at once, for the test)
`;
const LIVE_RULE = `
  - id: cave-temp-present
    station: jinfo
    quantity: air-temperature
    op: above
    threshold: -100
    clearAt: -100
    severity: info
    description: any cave temperature (added while the page is open)
`;
/** Generous for a busy two-core machine; every wait ends on an event, not on the clock. */
const UI = { timeout: 30_000 };

let dir: string;
/** A technician's key, the reader's, and the reader's id to revoke it. */
let KEY: string;
let reader: IssuedKey;
let server: StationServer | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let startedMs: number;
let archiveFromMs: number;
let archiveToMs: number;
/** What Chromium refused under the dashboard's Content-Security-Policy, from every page of `context`. */
const policyViolations: string[] = [];

async function api(path: string, accept = 'application/json'): Promise<Response> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}`, accept } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

function plots(target: Page = page): Promise<DrawnPlot[]> {
  // Read in the page; a string, as this file is compiled without the DOM's types.
  return target.evaluate('window.fieldstationPlots ?? []') as Promise<DrawnPlot[]>;
}

async function openSeries(params: Record<string, string | string[]>, target: Page = page): Promise<void> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const one of [value].flat()) query.append(key, one);
  await target.goto(`${base}/#/series?${query.toString()}`);
}

beforeAll(async () => {
  await buildDashboard();
  dir = await mkdtemp(join(tmpdir(), 'fs-dashboard-'));
  await writeFile(join(dir, 'alerts.yaml'), RULES);
  KEY = (await addKeyIn(join(dir, 'data'), { role: 'technician', name: 'ana' })).key;
  reader = await addKeyIn(join(dir, 'data'), { role: 'reader', name: 'researcher' });
  startedMs = Date.now();
  server = new StationServer({
    dataDir: join(dir, 'data'),
    credentialsFile: join(dir, 'data', 'broker', 'accounts.json'),
    mqtt: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    alertsFile: join(dir, 'alerts.yaml'),
    // Live sensors sample ten times faster, so a new rule has a reading to fire on within seconds.
    simulate: { backfillDays: 6 / 24, intervalScale: 0.1 },
    logger: new LogRecorder().logger(),
  });
  const { http, influxUrl } = await server.start();
  base = `http://127.0.0.1:${http.port}`;
  archiveToMs = startedMs - (startedMs % 300_000) - 86_400_000;
  ({ fromMs: archiveFromMs } = await writeArchiveYear(influxUrl, archiveToMs));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function signIn(target: Page, key: string): Promise<void> {
  await target.goto(`${base}/`);
  await target.fill('#key', key);
  await target.click('form.sign-in button[type=submit]');
}

describe('the dashboard in headless Chromium', () => {
  it('refuses a key the API does not know, with its reason', async () => {
    // A well-formed key with a wrong secret: the page must say what the API says about it.
    const wrong = `${KEY.slice(0, -1)}${KEY.endsWith('a') ? 'b' : 'a'}`;
    await signIn(page, wrong);
    const error = page.locator('form.sign-in .error');
    await error.waitFor(UI);
    const answer = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${wrong}` } });
    expect(answer.status).toBe(401);
    expect(await error.textContent()).toBe(((await answer.json()) as { detail: string }).detail);
    await screenshot(page, 'sign-in-refused');
  });

  it('signs in with a key and shows both stations, their gateways and last values', async () => {
    await signIn(page, KEY);
    await page.locator('header .who', { hasText: 'ana · technician' }).waitFor(UI);
    const jinfo = page.locator('section.station[data-station=jinfo]');
    await jinfo.locator('section.gateway[data-gateway=sim-cave-gw-1] .state-online').waitFor(UI);
    await page.locator('section.station[data-station=xuefeng] .gateway').first().waitFor(UI);
    const { stations } = (await (await api('/v1/stations')).json()) as {
      stations: { station: string; gateways: { gateway: string; sensors: { sensor: string }[] }[] }[];
    };
    const cave = stations
      .find((s) => s.station === 'jinfo')
      ?.gateways.find((g) => g.gateway === 'sim-cave-gw-1');
    const rows = jinfo.locator('section.gateway[data-gateway=sim-cave-gw-1] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sensor')))).toEqual(
      cave?.sensors.map((s) => s.sensor),
    );
    expect(await jinfo.locator('[data-sensor=cave-co2-1] .value').textContent()).toMatch(/\d ppm$/);
    await screenshot(page, 'overview');
  });

  it('plots a series with exactly the points the API answers', async () => {
    const from = new Date(startedMs - 3 * 3_600_000).toISOString();
    const to = new Date(startedMs - 10 * 60_000).toISOString();
    await openSeries({ station: 'jinfo', sensor: ['cave-co2-1', 'cave-temp-1'], from, to });
    await page.locator('.figures[data-points]').waitFor(UI);
    const query = new URLSearchParams({ station: 'jinfo', from, to });
    query.append('sensor', 'cave-co2-1');
    query.append('sensor', 'cave-temp-1');
    const document_ = (await (await api(`/v1/series?${query}`)).json()) as SeriesDocument;
    expect(document_.series.length).toBe(2);
    const drawn = await plots();
    expect(drawn.map((plot) => plot.sensor)).toEqual(document_.series.map((series) => series.sensor));
    for (const [index, series] of document_.series.entries()) {
      const plot = drawn[index] as DrawnPlot;
      const [x, y] = plot.data;
      const plotted = x.flatMap((t, i) => (y[i] === null ? [] : [[t, y[i]]]));
      const answered = series.points.flatMap((p) =>
        p.value === null ? [] : [[Date.parse(p.time) / 1000, p.value]],
      );
      expect(answered.length).toBeGreaterThan(10);
      expect(plotted).toEqual(answered);
    }
    await screenshot(page, 'series');
  });

  it('downloads the CSV of exactly what the plot shows', async () => {
    const from = new Date(startedMs - 2 * 3_600_000).toISOString();
    const to = new Date(startedMs - 10 * 60_000).toISOString();
    await openSeries({ station: 'jinfo', sensor: 'cave-co2-1', from, to, every: '10m', fn: 'max' });
    await page.locator('.figures[data-points]').waitFor(UI);
    const [download] = await Promise.all([page.waitForEvent('download', UI), page.click('button.download')]);
    const saved = await readFile(await download.path(), 'utf8');
    const expected = await (
      await api(
        `/v1/series?${new URLSearchParams({ station: 'jinfo', sensor: 'cave-co2-1', from, to, every: '10m', fn: 'max', format: 'csv' })}`,
      )
    ).text();
    expect(download.suggestedFilename()).toMatch(/^jinfo_cave-co2-1_.*_10m-max\.csv$/);
    expect(saved).toBe(expected);
    const rows = saved.trim().split('\r\n').slice(1);
    const cell = (row: string) => row.split(',')[6];
    expect(rows.map((row) => (cell(row) === '' ? null : Number(cell(row))))).toEqual(
      (await plots())[0]?.data[1],
    );
  });

  it('downloads what was drawn, not what came since, when the range ends "now"', async () => {
    await openSeries({ station: 'jinfo', sensor: 'cave-co2-1', from: '-20m', to: 'now' });
    await page.locator('.figures[data-points]').waitFor(UI);
    const [x, y] = (await plots())[0]?.data ?? [[], []];
    const lastDrawn = (x.at(-1) ?? 0) * 1000;
    // A reading newer than the plot must exist before the download, or the test proves nothing.
    await vi.waitFor(async () => {
      const latest = (await (await api('/v1/latest?station=jinfo')).json()) as {
        readings: { sensor: string; time: string }[];
      };
      const co2 = latest.readings.find((reading) => reading.sensor === 'cave-co2-1');
      expect(Date.parse(co2?.time ?? '')).toBeGreaterThan(lastDrawn);
    }, UI);
    const [download] = await Promise.all([page.waitForEvent('download', UI), page.click('button.download')]);
    const rows = (await readFile(await download.path(), 'utf8')).trim().split('\r\n').slice(1);
    // Gap breaks are drawn as nulls of their own; every point drawn is a row, and nothing else is.
    const drawn = x.flatMap((t, i) => (y[i] === null ? [] : [[t, y[i]]]));
    expect(
      rows.map((row) => [Date.parse(row.split(',')[0] ?? '') / 1000, Number(row.split(',')[6])]),
    ).toEqual(drawn);
  });

  it('draws a year of 5-minute data, gaps shaded and flags marked, in under a second', async () => {
    // A page of its own, signed in here: the test runs alone (-t) as well as after the others.
    const own = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const yearPage = await own.newPage();
    await signIn(yearPage, KEY);
    await yearPage.locator('header .who', { hasText: 'ana · technician' }).waitFor(UI);
    await openSeries(
      {
        station: ARCHIVE.station,
        sensor: ARCHIVE.sensor,
        from: new Date(archiveFromMs).toISOString(),
        to: new Date(archiveToMs).toISOString(),
      },
      yearPage,
    );
    const figures = yearPage.locator('.figures[data-points]');
    await figures.waitFor(UI);
    const points = Number(await figures.getAttribute('data-points'));
    const drawMs = Number(await figures.getAttribute('data-draw-ms'));
    const fetchMs = Number(await figures.getAttribute('data-fetch-ms'));
    // The figure for the README; the goal (under a second) is a bench figure, the bound here is loose.
    console.log(
      `dashboard: a year of 5-minute data, ${points} points: fetched and parsed in ${fetchMs} ms, drawn in ${drawMs} ms`,
    );
    expect(points).toBe(YEAR_POINTS);
    expect(drawMs).toBeLessThan(5_000);
    const [plot] = await plots(yearPage);
    expect(plot?.gaps).toHaveLength(1);
    await screenshot(yearPage, 'series-year');
    await own.close();
  });

  it('says in words that a sensor does not exist, instead of a blank page', async () => {
    await openSeries({ station: 'jinfo', sensor: 'no-such-sensor' });
    const error = page.locator('.plots .error');
    await error.waitFor(UI);
    expect(await error.textContent()).toMatch(/has no sensor "no-such-sensor"\. Its sensors: .*cave-co2-1/);
    await openSeries({ station: 'nowhere', sensor: 'x' });
    await page.getByText('There is no station "nowhere"').waitFor(UI);
    await screenshot(page, 'series-unknown-sensor');
  });

  it('acknowledges a firing alert as a technician', async () => {
    await page.goto(`${base}/#/alerts`);
    const card = page.locator('section.alert[data-rule="jinfo/cave-co2-present"]');
    await card.waitFor(UI);
    await card.locator('input[name=comment]').fill('checking the sensor');
    await card.locator('button.ack').click();
    await page
      .locator('section.alert[data-rule="jinfo/cave-co2-present"] .status', { hasText: 'acknowledged by' })
      .waitFor(UI);
    const { alerts } = (await (await api('/v1/alerts')).json()) as {
      alerts: { rule: string; ack: { comment?: string } | null }[];
    };
    expect(alerts.find((alert) => alert.rule === 'cave-co2-present')?.ack?.comment).toBe(
      'checking the sensor',
    );
    await screenshot(page, 'alerts');
  });

  it('shows an alert that starts firing while the page is open, from the live stream', async () => {
    await page.goto(`${base}/#/alerts`);
    await page.locator('section.alert[data-rule="jinfo/cave-co2-present"]').waitFor(UI);
    await page.locator('.live.up').waitFor(UI);
    // The ingest reloads its rules file when it changes; the page is not reloaded.
    await writeFile(join(dir, 'alerts.yaml'), RULES + LIVE_RULE);
    await page.locator('section.alert[data-rule="jinfo/cave-temp-present"]').waitFor(UI);
    await page.locator('header .badge', { hasText: '2' }).waitFor(UI);
    await screenshot(page, 'alerts-live');
  });

  it('shows the quarantine and the completeness per gateway and day', async () => {
    await page.goto(`${base}/#/quarantine`);
    await page.locator('table.quarantine tbody tr').first().waitFor(UI);
    await screenshot(page, 'quarantine');
    await page.goto(`${base}/#/completeness?station=jinfo`);
    await page.locator('table.completeness tbody tr th', { hasText: 'sim-cave-gw-1' }).waitFor(UI);
    await screenshot(page, 'completeness');
  });

  it('fits a phone: one column, no sideways scrolling of the page', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await signIn(small, KEY);
    await small.locator('section.gateway .state').first().waitFor(UI);
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(small, 'phone-overview');
    await small.goto(`${base}/#/series?station=jinfo&sensor=cave-co2-1&from=-3h&to=now`);
    await small.locator('.figures[data-points]').waitFor(UI);
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(small, 'phone-series');
    await phone.close();
  });

  it('shows a reader no technician panels, and sends a revoked key back to sign-in with the reason', async () => {
    const own = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const readerPage = await own.newPage();
    await signIn(readerPage, reader.key);
    await readerPage.locator('header .who', { hasText: 'researcher · reader' }).waitFor(UI);
    await readerPage
      .locator('section.gateway', { hasText: 'Health is shown to technicians.' })
      .first()
      .waitFor(UI);
    expect(await readerPage.locator('header nav a', { hasText: 'Quarantine' }).count()).toBe(0);
    await readerPage.goto(`${base}/#/alerts`);
    await readerPage.locator('section.alert[data-rule="jinfo/cave-co2-present"]').waitFor(UI);
    expect(await readerPage.locator('section.alert button.ack').count()).toBe(0);
    await screenshot(readerPage, 'reader-alerts');

    await new FileKeyStore(keysFileIn(join(dir, 'data'))).revoke(reader.id);
    await readerPage.goto(`${base}/#/overview`);
    const error = readerPage.locator('form.sign-in .error');
    await error.waitFor(UI);
    expect(await error.textContent()).toMatch(/revoked/);
    await screenshot(readerPage, 'sign-in-revoked');
    await own.close();
  });

  it('did all of the above under its Content-Security-Policy, which refused nothing it needs', async () => {
    const answer = await fetch(`${base}/`);
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(policyViolations).toEqual([]);
  });
});
