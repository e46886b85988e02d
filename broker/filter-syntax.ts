import { AEDES_MAX_TOPIC_LEVELS } from './limits/limits-config.js';

/** The longest topic filter MQTT can carry: its UTF-8 length field is 16 bits ([MQTT-4.7.3-3]). */
const MAX_FILTER_BYTES = 65_535;

const UNKNOWN_PLACEHOLDER = /%(?![uc])/;

function levelProblem(level: string, last: boolean): string | undefined {
  if (level.includes('#') && (level !== '#' || !last)) {
    return "'#' may only stand alone as the last level, as in a/# [MQTT-4.7.1-2]";
  }
  if (level.includes('+') && level !== '+') {
    return "'+' may only stand alone as a level, as in a/+/b [MQTT-4.7.1-3]";
  }
  return undefined;
}

/**
 * Why an operator-written rights filter cannot be used, or undefined when it can. It must be a
 * valid MQTT topic filter, may hold the placeholders %u and %c, and may not reach topics starting
 * with '$': those are the broker's ([MQTT-4.7.2-1]), and $SYS/# is for operator accounts.
 */
export function filterProblem(filter: string): string | undefined {
  if (filter === '') return 'is empty; a topic filter has at least one character [MQTT-4.7.3-1]';
  const bytes = Buffer.byteLength(filter, 'utf8');
  if (bytes > MAX_FILTER_BYTES) return `is ${bytes} bytes long; at most ${MAX_FILTER_BYTES} [MQTT-4.7.3-3]`;
  if (filter.includes('\u0000')) return 'contains the null character U+0000 [MQTT-4.7.3-2]';
  const levels = filter.split('/');
  if (levels.length > AEDES_MAX_TOPIC_LEVELS) {
    return `has ${levels.length} levels; the broker takes at most ${AEDES_MAX_TOPIC_LEVELS}`;
  }
  for (const [index, level] of levels.entries()) {
    const problem = levelProblem(level, index === levels.length - 1);
    if (problem !== undefined) return problem;
  }
  if (UNKNOWN_PLACEHOLDER.test(filter)) {
    return "has a '%' that is not a placeholder; the placeholders are %u (username) and %c (client id)";
  }
  if (filter.startsWith('$')) {
    return "starts with '$': such topics belong to the broker [MQTT-4.7.2-1], and $SYS/# is only for operator accounts (kind subscriber, scope operator)";
  }
  return undefined;
}

/**
 * Why a username or client id cannot stand in for a placeholder, or undefined when it can. Filled
 * in, a '/', '+' or '#' would widen the rule to other clients' topics (client id "#" turning
 * `dev/%c/#` into `dev/#/#`, "a/b" reaching client "a"'s `dev/a/...`), and a leading '$' would
 * reach the broker's own topics.
 */
export function placeholderValueProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (/[/+#]/.test(value)) return "contains '/', '+' or '#'";
  if (value.startsWith('$')) return "starts with '$'";
  return undefined;
}
