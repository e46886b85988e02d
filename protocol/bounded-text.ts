/**
 * Cuts text taken from untrusted input (a reason quoting a payload, a topic, a zod issue naming a
 * 1 MB key) to at most `maxChars`, saying how much was left out, never splitting a surrogate pair.
 * Everything a refusal carries ends up stored and listed, so its size is ours to decide, not the sender's.
 */
export function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const omitted = ` … (${text.length} characters, cut)`;
  let end = Math.max(0, maxChars - omitted.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + omitted;
}
