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
