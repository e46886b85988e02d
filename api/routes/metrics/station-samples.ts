import type { MetricFamily } from '../../../metrics/index.js';

/**
 * The families with only the samples a key may see: a sample labelled with a station the key is not
 * limited to is left out (another station's gateways, message counts and sequence gaps), as lists
 * leave out that station's rows. Samples without a station label (process totals) stay.
 */
export function stationSamples(
  families: readonly MetricFamily[],
  visible: (station: string) => boolean,
): MetricFamily[] {
  return families.map((family) => ({
    ...family,
    samples: family.samples.filter((sample) => {
      const station = sample.labels?.station;
      return station === undefined || visible(station);
    }),
  }));
}
