/** Distinct numbers remembered at most; past that the memory starts afresh. */
const REMEMBERED = 4096;

const texts = new Map<number, string>();

/**
 * JSON.stringify of a number or null (non-finite numbers are null, as JSON has no NaN), which is
 * also String(n) for a finite one. A sensor's readings repeat a few thousand distinct values (its
 * resolution), and formatting a double is the costliest step of writing a point, so the text of
 * each is remembered. Map keys compare 0 and -0 alike, as their texts do ("0").
 */
export function numberText(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'null';
  let text = texts.get(value);
  if (text === undefined) {
    if (texts.size >= REMEMBERED) texts.clear();
    text = String(value);
    texts.set(value, text);
  }
  return text;
}
