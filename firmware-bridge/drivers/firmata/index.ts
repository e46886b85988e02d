import { defineDriver } from '../driver-module.js';
import { refuseIdenticalSettings } from '../duplicate-selections.js';
import { FirmataDriverConfigSchema, FirmataProtocolSchema } from './config.js';

/**
 * Arduino boards running StandardFirmata: analog pins and BME280 chips on I2C. Its factory brings
 * Johnny-Five and its board maps, loaded only by a gateway with a Firmata sensor.
 */
export const firmataDriver = defineDriver({
  config: FirmataDriverConfigSchema,
  portProtocols: [FirmataProtocolSchema],
  fileProtocols: [],
  check: ({ sensors }, ctx) =>
    refuseIdenticalSettings(
      sensors,
      (driver) =>
        driver.kind === 'analog'
          ? `pin ${driver.pin} the same way`
          : `the ${driver.field} of the BME280 at 0x${driver.address.toString(16)}`,
      ctx,
    ),
  load: () => import('./factory.js'),
});
