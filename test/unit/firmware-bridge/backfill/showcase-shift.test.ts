import { describe, expect, it } from 'vitest';
import {
  chooseShift,
  ICING_NIGHT,
  STORM_WITH_RECESSION,
} from '../../../../firmware-bridge/backfill/showcase-shift.js';
import { loadGatewayConfig } from '../../../../firmware-bridge/config/load.js';
import type { SensorConfig } from '../../../../firmware-bridge/config/schema.js';

const DAY = 86_400_000;

function week(endMs: number) {
  return { fromMs: endMs - 7 * DAY, toMs: endMs };
}

function shiftedDriver(sensors: readonly SensorConfig[], pick: typeof ICING_NIGHT.pick, shiftDays: number) {
  const driver = pick(sensors);
  if (driver === undefined) throw new Error('no sensor for the showcase');
  return { ...driver, shiftDays };
}

describe('chooseShift', () => {
  // Several ends, days apart, so weeks with and without the episodes both come up.
  const ends = Array.from({ length: 12 }, (_, i) => Date.UTC(2026, 11, 4, 21, 44) + i * 5 * DAY);

  it.each([
    ['config/simulate/xuefeng.yaml', ICING_NIGHT],
    ['config/simulate/jinfo.yaml', STORM_WITH_RECESSION],
  ])(
    '%s: finds a whole-day shift whose week shows the episode, the smallest there is',
    async (file, showcase) => {
      const { sensors } = await loadGatewayConfig(file);
      for (const end of ends) {
        const choice = chooseShift(sensors, week(end));
        expect(choice).toMatchObject({ shown: [showcase.name], missing: [] });
        expect(showcase.shows(shiftedDriver(sensors, showcase.pick, choice.shiftDays), week(end))).toBe(true);
        for (let nearer = 0; nearer < Math.abs(choice.shiftDays); nearer++) {
          for (const shift of [nearer, -nearer]) {
            expect(showcase.shows(shiftedDriver(sensors, showcase.pick, shift), week(end))).toBe(false);
          }
        }
      }
    },
  );

  it('shifts nothing for a gateway without the signals the showcases look at', async () => {
    const { sensors } = await loadGatewayConfig('config/simulate/jinfo.yaml');
    const noStage = sensors.filter((sensor) => sensor.quantity !== 'stage');
    expect(chooseShift(noStage, week(ends[0] ?? 0))).toEqual({ shiftDays: 0, shown: [], missing: [] });
  });

  it('says which showcase it could not find within reach, and shifts nothing', async () => {
    const { sensors } = await loadGatewayConfig('config/simulate/xuefeng.yaml');
    const unlucky = ends.find((end) => chooseShift(sensors, week(end)).shiftDays !== 0);
    if (unlucky === undefined) throw new Error('every week of the sample shows an icing night unshifted');
    const choice = chooseShift(sensors, week(unlucky), 0);
    expect(choice).toEqual({ shiftDays: 0, shown: [], missing: [ICING_NIGHT.name] });
  });

  it('leaves a history shorter than three days unshifted', async () => {
    const { sensors } = await loadGatewayConfig('config/simulate/jinfo.yaml');
    const end = ends[0] ?? 0;
    expect(chooseShift(sensors, { fromMs: end - 2 * 3_600_000, toMs: end })).toEqual({
      shiftDays: 0,
      shown: [],
      missing: [],
    });
  });
});
