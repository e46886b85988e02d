import { type ApiClient, ApiProblem } from '../api-client.js';
import type { SeriesDocument, StationsResponse, StationView } from '../api-types.js';
import { el, errorBox, messageOf, show } from '../elements.js';
import { utc } from '../formatting.js';
import { href } from '../location.js';
import type { Page } from '../page-context.js';
import { downloadCsv } from '../series/csv-download.js';
import { type DrawnPlot, plotData } from '../series/plot-data.js';
import { sensorsOf, seriesForm } from '../series/series-form.js';
import { drawSeries } from '../series/series-plot.js';
import {
  parseSeriesRequest,
  type SeriesRequest,
  seriesApiPath,
  seriesRequestParams,
} from '../series/series-request.js';

/** Why a request cannot be plotted, in words, or undefined when it can. */
function refusal(stations: readonly StationView[], request: SeriesRequest): string | undefined {
  if (request.station === '') return undefined;
  const station = stations.find((candidate) => candidate.station === request.station);
  if (station === undefined) {
    return `There is no station "${request.station}". Stations: ${stations.map((s) => s.station).join(', ') || 'none yet'}.`;
  }
  const known = sensorsOf(station);
  const unknown = request.sensors.filter((sensor) => !known.includes(sensor));
  if (unknown.length > 0) {
    const names = unknown.map((sensor) => `"${sensor}"`).join(', ');
    return `Station ${request.station} has no sensor ${names}. Its sensors: ${known.join(', ')}.`;
  }
  return undefined;
}

function legend(): HTMLElement {
  return el(
    'p',
    { class: 'legend small' },
    el('span', { class: 'swatch gap' }),
    ' no data (gap) ',
    el('span', { class: 'swatch qc-3' }),
    ' suspect (QC 3) ',
    el('span', { class: 'swatch qc-4' }),
    ' fail (QC 4)',
  );
}

/**
 * Where the drawn data ends. Raw: just after the newest point drawn, since a reading sampled before
 * the query's end may be stored only after it (gateways send in batches, outboxes replay late);
 * windows: the end the API resolved.
 */
function shownUntil(answer: SeriesDocument): string {
  if (answer.every !== null) return answer.to;
  const newest = Math.max(
    ...answer.series.map((series) => Date.parse(series.points.at(-1)?.time ?? '') || 0),
  );
  return newest > 0 && newest < Date.parse(answer.to) ? new Date(newest + 1).toISOString() : answer.to;
}

/**
 * Draws the request's series; resolves with the same request pinned to the times the API resolved
 * (`-7d`, `now` become RFC 3339), so a later CSV holds the points on the screen and not newer ones.
 */
async function plotAll(api: ApiClient, request: SeriesRequest, target: HTMLElement): Promise<SeriesRequest> {
  const started = performance.now();
  const answer = await api.json<SeriesDocument>(seriesApiPath(request, 'json'));
  const fetchMs = performance.now() - started;
  const shown = { ...request, from: answer.from, to: shownUntil(answer) };
  if (answer.series.length === 0) {
    show(
      target,
      errorBox(
        `No readings of ${request.sensors.join(', ')} at ${request.station} between ${utc(answer.from)} and ${utc(answer.to)} UTC.`,
      ),
    );
    return shown;
  }
  const figures = el('p', { class: 'figures small' });
  const plots = answer.series.map(() => el('div', { class: 'plot' }));
  show(
    target,
    figures,
    legend(),
    answer.error === undefined ? null : errorBox(`The answer is incomplete: ${answer.error.detail}`),
    answer.next
      ? errorBox('More raw points than one page holds: only the first page is drawn; use a window.')
      : null,
    ...plots,
  );
  const drawn: DrawnPlot[] = [];
  for (const [index, series] of answer.series.entries()) {
    drawn.push(
      await drawSeries(plots[index] as HTMLElement, series, plotData(series, answer.every === null)),
    );
  }
  window.fieldstationPlots = drawn;
  const points = answer.series.reduce((sum, series) => sum + series.points.length, 0);
  const drawMs = drawn.reduce((sum, plot) => sum + plot.drawMs, 0);
  figures.dataset.points = String(points);
  figures.dataset.fetchMs = fetchMs.toFixed(0);
  figures.dataset.drawMs = drawMs.toFixed(0);
  figures.textContent = `${points.toLocaleString('en')} points from ${utc(answer.from)} to ${utc(answer.to)} UTC${
    answer.every === null ? ', raw' : `, ${answer.fn} per ${answer.every}`
  } · fetched in ${fetchMs.toFixed(0)} ms, drawn in ${drawMs.toFixed(0)} ms`;
  return shown;
}

/** Plots of chosen sensors of one station over a time range, raw or per window, and their CSV. */
export const seriesPage: Page = async ({ api, root, params }) => {
  const { stations } = await api.json<StationsResponse>('/v1/stations');
  const asked = parseSeriesRequest(params);
  const request = asked.station === '' ? { ...asked, station: stations[0]?.station ?? '' } : asked;
  const go = (next: SeriesRequest) => {
    window.location.hash = href('series', seriesRequestParams(next));
  };
  const output = el('div', { class: 'plots', 'aria-live': 'polite' });
  const download = el('button', { type: 'button', class: 'download', disabled: true }, 'Download CSV');
  let shown: SeriesRequest | undefined;
  download.addEventListener('click', () => {
    if (shown === undefined) return;
    download.disabled = true;
    downloadCsv(api, shown)
      .catch((error: unknown) => output.prepend(errorBox(`The CSV failed: ${messageOf(error)}`)))
      .finally(() => {
        download.disabled = false;
      });
  });
  window.fieldstationPlots = [];
  show(
    root,
    el('h1', {}, 'Series'),
    seriesForm(stations, request, go),
    el('div', { class: 'actions' }, download),
    output,
  );
  const refused = refusal(stations, request);
  if (refused !== undefined) return show(output, errorBox(refused));
  if (request.sensors.length === 0)
    return show(output, el('p', {}, 'Pick one or more sensors and press Plot.'));
  show(output, el('p', { class: 'small' }, 'Loading…'));
  try {
    shown = await plotAll(api, request, output);
    download.disabled = false;
  } catch (error) {
    // A refused query (a bad time, too many windows) keeps the form, with the API's reason under it.
    if (error instanceof ApiProblem && error.status === 401) throw error;
    show(output, errorBox(messageOf(error)));
  }
};
