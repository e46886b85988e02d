import type { SeriesTags } from '../../queries/series-chunks.js';

/** The two columns one series gets in a wide table. */
export interface WideColumn {
  tags: SeriesTags;
  /** e.g. `cave-co2-1 co2 [ppm]`: sensor, quantity and UCUM unit, separated by single spaces. */
  value: string;
  /** e.g. `cave-co2-1 co2 qc`: the QARTOD flag of the value beside it. */
  qc: string;
}

/**
 * Column names a spreadsheet shows and pandas splits on spaces into (sensor, quantity, unit):
 * sensor ids, quantities and UCUM codes hold no spaces. A sensor id is unique only within its
 * gateway, so when two series would share a name the sensor is written `gateway/sensor`; a
 * quantity measured in two units keeps the unit in its qc column name too.
 */
export function wideColumns(series: readonly SeriesTags[]): WideColumn[] {
  const count = (names: readonly string[]) => (name: string) => names.filter((n) => n === name).length;
  const onOtherGateway = (tags: SeriesTags) =>
    series.some(
      (o) => o.sensor === tags.sensor && o.quantity === tags.quantity && o.gateway !== tags.gateway,
    );
  const base = series.map((tags) =>
    onOtherGateway(tags)
      ? `${tags.gateway}/${tags.sensor} ${tags.quantity}`
      : `${tags.sensor} ${tags.quantity}`,
  );
  const baseCount = count(base);
  return series.map((tags, i) => {
    const name = base[i] ?? '';
    const qc = baseCount(name) > 1 ? `${name} qc ${tags.unit}` : `${name} qc`;
    return { tags, value: `${name} ${tags.unit}`, qc };
  });
}
