import type { z } from 'zod';

/** The named groups a `regex` line format may use; `value` is required. */
export const PATTERN_GROUPS = ['channel', 'value', 'time'] as const;

export const MAX_PATTERN_LENGTH = 256;

/** The pattern as a RegExp, or the engine's complaint. */
export function compilePattern(pattern: string, flags: string): RegExp | Error {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    return error as Error;
  }
}

/**
 * Every named group of a compiled pattern. An empty alternative makes the pattern match '', and a
 * match lists all named groups of the pattern, matched or not.
 */
export function patternGroups(regex: RegExp): string[] {
  const groups = new RegExp(`(?:${regex.source})|`, regex.flags).exec('')?.groups;
  return groups === undefined ? [] : Object.keys(groups);
}

/** Length of the repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) at `at`, or 0. */
function repeatAt(source: string, at: number): number {
  const char = source[at];
  if (char === '*' || char === '+') return 1;
  if (char !== '{') return 0;
  const brace = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (brace === null) return 0;
  const max = brace[2] === undefined ? Number(brace[1]) : brace[3] === '' ? Infinity : Number(brace[3]);
  return max > 1 ? brace[0].length : 0;
}

/** Index just past the character class opening at `at`. */
function skipClass(source: string, at: number): number {
  let index = at + 1;
  while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
  return index + 1;
}

/**
 * Finds a repeated group that itself contains a repetition, such as `(\d+)*` or `(a+)+`: the shape
 * that makes a backtracking engine take exponential time on a line that almost matches. A heuristic
 * (star height), not a proof: it does not see overlapping alternatives like `(a|a)*`.
 */
export function nestedRepetition(source: string): string | undefined {
  const open: { start: number; repeats: boolean }[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') index += 2;
    else if (char === '[') index = skipClass(source, index);
    else if (char === '(') {
      open.push({ start: index, repeats: false });
      index += 1;
    } else if (char === ')') {
      const group = open.pop();
      const repeat = repeatAt(source, index + 1);
      if (group?.repeats && repeat > 0) return source.slice(group.start, index + 1 + repeat);
      const parent = open.at(-1);
      if (parent !== undefined) parent.repeats ||= (group?.repeats ?? false) || repeat > 0;
      index += 1 + repeat;
    } else {
      const repeat = repeatAt(source, index);
      const top = open.at(-1);
      if (repeat > 0 && top !== undefined) top.repeats = true;
      index += Math.max(1, repeat);
    }
  }
  return undefined;
}

/** Config-time checks of a `regex` line format, so a bad pattern fails at load, not on the first line. */
export function checkLinePattern(format: { pattern: string; flags: string }, ctx: z.RefinementCtx): void {
  const compiled = compilePattern(format.pattern, format.flags);
  if (compiled instanceof Error) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: `pattern does not compile: ${compiled.message}`,
    });
    return;
  }
  const groups = patternGroups(compiled);
  const unknown = groups.filter((group) => !(PATTERN_GROUPS as readonly string[]).includes(group));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: `unknown named group(s) ${unknown.map((g) => `"${g}"`).join(', ')}: expected channel, value or time`,
    });
  }
  if (!groups.includes('value')) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: 'expected a named group (?<value>...) for the value',
    });
  }
  const nested = nestedRepetition(format.pattern);
  if (nested !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: `"${nested}" repeats a group that itself repeats, which can take exponential time on a bad line; rewrite it without nesting (e.g. [\\d,]* instead of (\\d+,)*)`,
    });
  }
}
