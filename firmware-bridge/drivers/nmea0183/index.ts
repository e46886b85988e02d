import { defineDriver } from '../driver-module.js';
import { refuseDuplicateSelections } from '../duplicate-selections.js';
import { NmeaDriverConfigSchema, NmeaPortProtocolSchema } from './config.js';
import { describeSelection, selectionKey } from './selection-key.js';

/** NMEA 0183 talkers (weather stations, GPS): each sensor reads one value of the port's sentences. */
export const nmea0183Driver = defineDriver({
  config: NmeaDriverConfigSchema,
  portProtocols: [NmeaPortProtocolSchema],
  fileProtocols: [],
  check: ({ sensors }, ctx) =>
    refuseDuplicateSelections(
      sensors,
      (driver) => ({
        key: `${driver.port}|${driver.talker ?? '*'}|${selectionKey(driver)}`,
        words: `${describeSelection(driver)} on port "${driver.port}"`,
      }),
      ctx,
    ),
  load: () => import('./factory.js'),
});
