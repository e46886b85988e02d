/**
 * The deepest nesting of arrays and objects in JSON text, counted without parsing it, stopping as soon
 * as `limit` is exceeded. Parsing is iterative in V8, but almost everything that walks the parsed
 * value afterwards (JSON.stringify, zod, loggers) recurses, so a 40 KB payload of 20,000 brackets
 * would overflow the stack far from the edge. Brackets inside strings do not count. Pure.
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
