import type { NmeaDriverConfig } from './config.js';

/**
 * Keys joining what a sentence holds to what a sensor selects: a decoder files each value under the
 * key a selection of it has, so routing is one map lookup.
 */
export function mwvKey(reference: string, field: string): string {
  return `MWV/${reference}/${field}`;
}

export function fieldKey(sentence: string, field: string): string {
  return `${sentence}/${field}`;
}

export function xdrKey(transducer: string, name: string): string {
  return `XDR/${transducer}/${name}`;
}

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
