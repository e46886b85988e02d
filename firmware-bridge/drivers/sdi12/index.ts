import { defineDriver } from '../driver-module.js';
import { refuseDuplicateSelections } from '../duplicate-selections.js';
import { Sdi12DriverConfigSchema, Sdi12ProtocolSchema } from './config.js';

/** SDI-12 sensors behind a transparent USB/serial adapter, measured in cycles on one bus per port. */
export const sdi12Driver = defineDriver({
  config: Sdi12DriverConfigSchema,
  portProtocols: [Sdi12ProtocolSchema],
  fileProtocols: [],
  check: ({ sensors }, ctx) =>
    refuseDuplicateSelections(
      sensors,
      ({ port, address, command, index }) => ({
        key: `${port}|${address}|${command}|${index}`,
        words: `value ${index} of ${address}${command}! on port "${port}"`,
        path: ['index'],
      }),
      ctx,
    ),
  load: () => import('./factory.js'),
});
