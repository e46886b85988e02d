import type { QuarantineRecord } from '../../api/routes/quarantine/quarantine-records.js';
import type { SeriesDocument } from '../../api/routes/series/series-schema.js';
import type { GatewayView, StationView } from '../../api/routes/stations/stations-schema.js';

export type QueryParams = Record<string, string | number>;

export interface TextResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A plain HTTP client of the fieldstation API, as a researcher's script would use it (fetch, no inject). */
export class ApiClient {
  /** `key`: the API key sent as `Authorization: Bearer` with every request. */
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  /** fetch() of a path of the API, with the key. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${this.key}`);
    return fetch(new URL(path, this.baseUrl), { ...init, headers });
  }

  url(path: string, params: QueryParams = {}): string {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
    return url.toString();
  }

  async text(
    path: string,
    params: QueryParams = {},
    headers: Record<string, string> = {},
  ): Promise<TextResponse> {
    const response = await this.fetch(this.url(path, params), { headers });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  }

  /** GET expecting 200 and JSON; anything else fails with the body, so a test shows the problem document. */
  async json<T>(path: string, params: QueryParams = {}): Promise<T> {
    const response = await this.text(path, params, { accept: 'application/json' });
    if (response.status !== 200 || !response.contentType.startsWith('application/json')) {
      throw new Error(`GET ${path} answered ${response.status} ${response.contentType}: ${response.body}`);
    }
    return JSON.parse(response.body) as T;
  }

  series(params: QueryParams): Promise<SeriesDocument> {
    return this.json<SeriesDocument>('/v1/series', params);
  }

  async stations(): Promise<StationView[]> {
    return (await this.json<{ stations: StationView[] }>('/v1/stations')).stations;
  }

  async gateway(station: string, gateway: string): Promise<GatewayView | undefined> {
    const stations = await this.stations();
    return stations.find((s) => s.station === station)?.gateways.find((g) => g.gateway === gateway);
  }

  async quarantine(params: QueryParams = {}): Promise<QuarantineRecord[]> {
    return (await this.json<{ records: QuarantineRecord[] }>('/v1/quarantine', params)).records;
  }
}
