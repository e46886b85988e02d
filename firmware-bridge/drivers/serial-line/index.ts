import { defineDriver } from '../driver-module.js';
import { checkLineChannels } from './check-line-channels.js';
import { LINE_PROTOCOLS, SerialLineDriverConfigSchema } from './config.js';

/** Instruments that send one text line per reading (CSV, key=value, a bare value, a pattern). */
export const serialLineDriver = defineDriver({
  config: SerialLineDriverConfigSchema,
  portProtocols: LINE_PROTOCOLS,
  fileProtocols: [],
  check: checkLineChannels,
  load: () => import('./factory.js'),
});
