import type { SeriesPoint } from '../../queries/series-chunks.js';

/** One row of a wide table: a window start and, per series, its point there or null (no row at all). */
export interface WideRow {
  time: number;
  cells: (SeriesPoint | null)[];
}

interface Head {
  iterator: AsyncIterator<SeriesPoint>;
  point: SeriesPoint | undefined;
}

async function advance(head: Head): Promise<void> {
  const next = await head.iterator.next();
  head.point = next.done ? undefined : next.value;
}

/**
 * Merges per-series streams, each in time order, into rows by time: one row per time any series
 * has, and a null cell where a series has no point at that time. Nothing is filled or interpolated;
 * a window InfluxDB reports empty stays a point with a null value. Holds one point per series, so a
 * long range streams through in constant memory.
 */
export async function* mergeWideRows(
  streams: readonly AsyncIterable<SeriesPoint>[],
): AsyncGenerator<WideRow> {
  const heads: Head[] = streams.map((stream) => ({
    iterator: stream[Symbol.asyncIterator](),
    point: undefined,
  }));
  try {
    await Promise.all(heads.map(advance));
    for (;;) {
      let time = Number.POSITIVE_INFINITY;
      for (const head of heads)
        if (head.point !== undefined && head.point.time < time) time = head.point.time;
      if (time === Number.POSITIVE_INFINITY) return;
      const cells = heads.map((head) => (head.point?.time === time ? head.point : null));
      await Promise.all(heads.filter((head) => head.point?.time === time).map(advance));
      yield { time, cells };
    }
  } finally {
    // A client that hangs up, or a failed stream, must not leave the other queries running.
    await Promise.allSettled(heads.map((head) => head.iterator.return?.()));
  }
}
