import { defineDriver } from '../driver-module.js';
import { refuseDuplicateSelections } from '../duplicate-selections.js';
import { FirmataDriverConfigSchema, FirmataProtocolSchema } from './config.js';

/**
 * Arduino boards running StandardFirmata: analog pins and BME280 chips on I2C. Its factory brings
 * Johnny-Five and its board maps, loaded only by a gateway with a Firmata port.
 */
export const firmataDriver = defineDriver({
  config: FirmataDriverConfigSchema,
  portProtocols: [FirmataProtocolSchema],
  fileProtocols: [],
  // One pin as counts and as volts stays allowed; the very same settings twice do not.
  check: ({ sensors }, ctx) =>
    refuseDuplicateSelections(
      sensors,
      (driver) => ({
        key: JSON.stringify(driver),
        words: `${
          driver.kind === 'analog'
            ? `pin ${driver.pin} the same way`
            : `the ${driver.field} of the BME280 at 0x${driver.address.toString(16)}`
        } on port "${driver.port}"`,
      }),
      ctx,
    ),
  load: () => import('./factory.js'),
});
