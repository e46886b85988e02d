/**
 * `npm run bench:dashboard`: how long the dashboard takes to draw a year of 5-minute data (105,120
 * points) in headless Chromium, the goal being under a second. The built dashboard's own
 * modules (plot-data, series-plot with uPlot) draw a series document like the API's, served from
 * memory so InfluxDB and the network are not measured: parse the JSON, turn it into plot data, draw.
 * Prints the median and the slowest of --runs (default 7); exits 1 if the median is a second or more.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import { builtDashboardDir } from '../api/routes/dashboard/dashboard-dir.js';
import { dashboardRoutes } from '../api/routes/dashboard/index.js';

const POINTS = 105_120;
const STEP_MS = 300_000;
const GOAL_MS = 1_000;

function yearDocument(): string {
  const fromMs = Date.parse('2025-01-01T00:00:00Z');
  const points = Array.from({ length: POINTS }, (_, i) => ({
    time: new Date(fromMs + i * STEP_MS).toISOString(),
    value: Number((12 + 8 * Math.sin((2 * Math.PI * i) / 288)).toFixed(3)),
    qc: i % 1_000 === 3 ? 3 : 1,
  }));
  const series = { station: 'jinfo', gateway: 'gw', sensor: 'year-1', quantity: 'temperature', unit: 'Cel' };
  const end = new Date(fromMs + POINTS * STEP_MS).toISOString();
  return JSON.stringify({
    station: 'jinfo',
    from: points[0]?.time,
    to: end,
    every: null,
    fn: null,
    series: [{ ...series, intervalMs: STEP_MS, points, gaps: [] }],
    next: null,
  });
}

// Runs in the page (a string: this file is compiled without the DOM's types).
const DRAW = `(async () => {
  const { plotData } = await import('/ui/series/plot-data.js');
  const { drawSeries } = await import('/ui/series/series-plot.js');
  const text = await (await fetch('/bench/year.json')).text();
  const target = document.createElement('div');
  target.style.width = '1200px';
  document.body.replaceChildren(target);
  const started = performance.now();
  const doc = JSON.parse(text);
  const data = plotData(doc.series[0], true);
  await drawSeries(target, doc.series[0], data);
  return { ms: performance.now() - started, points: data.points };
})()`;

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
  const app = Fastify();
  const body = yearDocument();
  await app.register(dashboardRoutes, { root: builtDashboardDir() });
  app.get('/bench/year.json', async (_request, reply) => reply.type('application/json').send(body));
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Debian's chromium, as the browser tests use; root (CI containers) has no user namespace for its sandbox.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const { ms, points } = (await page.evaluate(DRAW)) as { ms: number; points: number };
      if (points !== POINTS) throw new Error(`drew ${points} points, not ${POINTS}`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
    const slowest = times.at(-1) ?? Number.NaN;
    console.log(
      `dashboard plot: a year of 5-minute data (${POINTS} points), JSON parse + plot data + uPlot draw, ` +
        `${runs} runs: median ${median.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms (goal: under ${GOAL_MS} ms)`,
    );
    if (median >= GOAL_MS) process.exitCode = 1;
  } finally {
    await browser.close();
    await app.close();
  }
}

await main();
