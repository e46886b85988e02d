import uPlot from 'uplot';
import type { Series } from '../api-types.js';
import { displayUnit } from '../formatting.js';
import { type DrawnPlot, MARKED_FLAGS, type PlotData } from './plot-data.js';

const LINE = '#1f6fb2';
const FLAG_COLOURS: Readonly<Record<number, string>> = { 3: '#e69500', 4: '#d62728' };
const GAP_SHADE = 'rgba(120, 120, 120, 0.18)';
const HEIGHT = 240;

declare global {
  interface Window {
    /** The plots on the series page: read by the browser tests, handy in the console. */
    fieldstationPlots?: DrawnPlot[];
  }
}

/** Shades each span without data before the series are drawn over it. */
function shadeGaps(gaps: readonly [number, number][]) {
  return (u: uPlot) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.fillStyle = GAP_SHADE;
    for (const [from, to] of gaps) {
      const left = Math.max(bbox.left, u.valToPos(from, 'x', true));
      const right = Math.min(bbox.left + bbox.width, u.valToPos(to, 'x', true));
      if (right > left) ctx.fillRect(left, bbox.top, right - left, bbox.height);
    }
    ctx.restore();
  };
}

function options(series: Series, data: PlotData, width: number, onDrawn: () => void): uPlot.Options {
  let drawn = false;
  return {
    width,
    height: HEIGHT,
    title: `${series.sensor} · ${series.quantity} (${displayUnit(series.unit)})`,
    cursor: { sync: { key: 'fieldstation-series' } },
    // Stations keep UTC and the page says UTC everywhere: the axis too, whatever the browser's zone.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    axes: [{}, { label: displayUnit(series.unit), size: 60 }],
    series: [
      {},
      { label: series.sensor, stroke: LINE, width: 1, spanGaps: false, points: { show: false } },
      ...MARKED_FLAGS.map(({ qc, label }) => ({
        label,
        stroke: FLAG_COLOURS[qc] ?? '#000',
        paths: () => null,
        points: { show: true, size: 7, fill: FLAG_COLOURS[qc] ?? '#000', stroke: FLAG_COLOURS[qc] ?? '#000' },
      })),
    ],
    hooks: {
      drawClear: [shadeGaps(data.gaps)],
      draw: [
        () => {
          if (drawn) return;
          drawn = true;
          onDrawn();
        },
      ],
    },
  };
}

/**
 * Draws one series into `target` and resolves once uPlot has drawn it, with the time that took.
 * uPlot draws a year of 5-minute points (105,120) in well under a second: it reduces each pixel
 * column to its min and max rather than stroking every point.
 */
export function drawSeries(target: HTMLElement, series: Series, data: PlotData): Promise<DrawnPlot> {
  const started = performance.now();
  const width = Math.max(280, target.clientWidth);
  return new Promise((resolve) => {
    const aligned: uPlot.AlignedData = [data.x, data.y, ...data.flagged];
    const plot = new uPlot(
      options(series, data, width, () =>
        resolve({
          station: series.station,
          sensor: series.sensor,
          quantity: series.quantity,
          unit: series.unit,
          data: [data.x, data.y],
          gaps: data.gaps,
          drawMs: performance.now() - started,
        }),
      ),
      aligned,
      target,
    );
    const resize = new ResizeObserver(() => {
      // Leaving the page detaches the plot (its size drops to zero, so this runs): let it go.
      if (!target.isConnected) {
        resize.disconnect();
        plot.destroy();
        return;
      }
      const size = Math.max(280, target.clientWidth);
      if (size !== plot.width) plot.setSize({ width: size, height: HEIGHT });
    });
    resize.observe(target);
  });
}
