import { derivedDriver } from './derived/index.js';
import type { CatalogueEntry } from './driver-module.js';
import { firmataDriver } from './firmata/index.js';
import { modbusRtuDriver } from './modbus-rtu/index.js';
import { nmea0183Driver } from './nmea0183/index.js';
import { sdi12Driver } from './sdi12/index.js';
import { serialLineDriver } from './serial-line/index.js';
import { simulatorDriver } from './simulator/index.js';
import { toa5Driver } from './toa5/index.js';

/**
 * Every driver the gateway knows, one line each. The config schema builds its unions from here and
 * `createDrivers` loads the factories of the types a config uses; nothing else names a driver.
 */
export const DRIVER_CATALOGUE = [
  derivedDriver,
  serialLineDriver,
  simulatorDriver,
  toa5Driver,
  nmea0183Driver,
  sdi12Driver,
  modbusRtuDriver,
  firmataDriver,
] as const satisfies readonly CatalogueEntry[];

export type DriverCatalogue = typeof DRIVER_CATALOGUE;
