import type { NmeaDriverConfig } from './config.js';
import { fieldKey, mwvKey, xdrKey } from './value-keys.js';

/** The key under which a sentence's decoder files the value this selection reads. */

export function selectionKey(driver: NmeaDriverConfig): string {
  switch (driver.sentence) {
    case 'MWV':
      return mwvKey(driver.reference, driver.field);
    case 'XDR':
      return xdrKey(driver.transducer, driver.name);
    case 'MDA':
    case 'GGA':
    case 'RMC':
      return fieldKey(driver.sentence, driver.field);
  }
}

/** How a selection reads in messages: `MWV relative windSpeed`, `XDR C TAIR`. */
export function describeSelection(driver: NmeaDriverConfig): string {
  const talker = driver.talker === undefined ? '' : ` from talker ${driver.talker}`;
  return `${selectionKey(driver).replaceAll('/', ' ')}${talker}`;
}
