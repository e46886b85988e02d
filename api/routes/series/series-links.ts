import { isoTime } from '../../views/iso-time.js';
import { cursorScope, encodeCursor, type RawCursor } from './series-cursor.js';
import type { SeriesRequest } from './series-params.js';

/**
 * The request's parameters as the API understood them, with `from` and `to` made absolute: the
 * query a table was made by (its provenance) and the base of its next page, which must not move
 * when `from=-1h` is read again a minute later.
 */
export function canonicalParameters(request: SeriesRequest): URLSearchParams {
  const { selection, aggregation, paging } = request;
  const params = new URLSearchParams({ station: selection.station });
  if (selection.gateway !== undefined) params.set('gateway', selection.gateway);
  for (const sensor of selection.sensors ?? (selection.sensor === undefined ? [] : [selection.sensor])) {
    params.append('sensor', sensor);
  }
  if (selection.quantity !== undefined) params.set('quantity', selection.quantity);
  params.set('from', isoTime(selection.fromMs));
  params.set('to', isoTime(selection.toMs));
  if (aggregation !== undefined) {
    params.set('every', aggregation.every);
    params.set('fn', aggregation.fn);
  }
  if (request.layout === 'wide') params.set('layout', 'wide');
  if (paging !== undefined) params.set('limit', String(paging.limit));
  return params;
}

/** The URL of the page after this one: the same query, same output form, starting after `next`. */
export function nextPageUrl(request: SeriesRequest, next: RawCursor): string {
  const params = canonicalParameters(request);
  if (request.format !== undefined) params.set('format', request.format);
  if (request.header !== 'plain') params.set('header', request.header);
  params.set('cursor', encodeCursor(next, cursorScope(request.selection)));
  return `/v1/series?${params}`;
}
