/**
 * FNV-1a over the UTF-16 code units: the same number in every process and version, which is all a
 * partition's choice of gateways or a point's time offset needs (not a defence against collisions).
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
