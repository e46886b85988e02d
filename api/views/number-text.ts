/** Distinct numbers remembered at most; past that the memory starts afresh. */
const REMEMBERED = 4096;

const texts = new Map<number, string>();

/** QC flags and counts: small whole numbers, looked up by index rather than hashed into the map. */
const SMALL_WHOLE = Array.from({ length: 256 }, (_, n) => String(n));

/**
 * JSON.stringify of a number or null (non-finite numbers are null, as JSON has no NaN), which is
 * also String(n) for a finite one. A sensor's readings repeat a few thousand distinct values (its
 * resolution), and formatting a double is the costliest step of writing a point, so the text of
 * each is remembered. Map keys compare 0 and -0 alike, as their texts do ("0").
 */
export function numberText(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'null';
  if (value >= 0 && value < 256 && Number.isInteger(value)) return SMALL_WHOLE[value] as string;
  let text = texts.get(value);
  if (text === undefined) {
    if (texts.size >= REMEMBERED) texts.clear();
    text = String(value);
    texts.set(value, text);
  }
  return text;
}
