/**
 * The entity tags of an If-Match header (RFC 9110 §13.1.1), without quotes. Weak tags are dropped:
 * If-Match uses the strong comparison. `*` is kept as is, and the caller decides what it means.
 */
export function parseIfMatch(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '' && !tag.startsWith('W/'))
    .map((tag) => (tag.startsWith('"') && tag.endsWith('"') && tag.length >= 2 ? tag.slice(1, -1) : tag));
}
