import { describe, expect, it } from 'vitest';
import {
  csvFileName,
  parseSeriesRequest,
  seriesApiPath,
  seriesRequestParams,
} from '../../../dashboard/series/series-request.js';

describe('series requests', () => {
  it('reads the address, with a week and the mean by default', () => {
    expect(parseSeriesRequest(new URLSearchParams('station=jinfo&sensor=a&sensor=b&fn=nonsense'))).toEqual({
      station: 'jinfo',
      sensors: ['a', 'b'],
      from: '-7d',
      to: 'now',
      every: undefined,
      fn: 'mean',
    });
  });

  it('asks the API for the plot and the CSV with the same query', () => {
    const request = parseSeriesRequest(
      new URLSearchParams('station=jinfo&sensor=a&from=-1d&every=1h&fn=max'),
    );
    expect(parseSeriesRequest(seriesRequestParams(request))).toEqual(request);
    expect(seriesApiPath(request, 'json')).toBe(
      '/v1/series?station=jinfo&sensor=a&from=-1d&to=now&every=1h&fn=max',
    );
    expect(seriesApiPath(request, 'csv')).toBe(`${seriesApiPath(request, 'json')}&format=csv`);
  });

  it('leaves fn out of a raw query (the API refuses fn without every)', () => {
    const request = parseSeriesRequest(new URLSearchParams('station=jinfo&sensor=a&fn=max'));
    expect(seriesApiPath(request, 'json')).toBe('/v1/series?station=jinfo&sensor=a&from=-7d&to=now');
  });

  it('names the file after what is in it, in characters every file system takes', () => {
    const request = parseSeriesRequest(
      new URLSearchParams('station=jinfo&sensor=a&sensor=b&from=2026-11-01T00:00:00Z&every=1h'),
    );
    expect(csvFileName(request)).toBe('jinfo_a+b_2026-11-01T00-00-00Z_now_1h-mean.csv');
  });
});
