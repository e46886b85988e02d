export interface CutText {
  text: string;
  /** Whether the text was longer and has been cut. */
  cut: boolean;
}

/** The first `maxChars` UTF-16 units of `text`, never splitting a surrogate pair. */
export function cutText(text: string, maxChars: number): CutText {
  if (text.length <= maxChars) return { text, cut: false };
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return { text: text.slice(0, end), cut: true };
}
