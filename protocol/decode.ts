import type { z } from 'zod';
import { boundText } from './bounded-text.js';
import { exceedsJsonDepth } from './json-depth.js';
import { MAX_PAYLOAD_BYTES } from './readings.js';

/** Deeper than any message of the contract (a readings batch is 3 levels), far below any stack limit. */
export const MAX_JSON_DEPTH = 32;
/** A refusal's reason is stored and listed: long enough to act on, short enough for a list of thousands. */
export const MAX_REASON_CHARS = 1000;
/** Zod issues quoted in a reason; the first few say what is wrong, the rest repeat it. */
const MAX_ISSUES = 5;
const MAX_ISSUE_CHARS = 160;

/** Stable codes for the ways a message can be refused; they name quarantine records and log lines. */
export type DecodeErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_NOT_JSON'
  | 'PAYLOAD_TOO_DEEP'
  | 'VERSION_UNSUPPORTED'
  | 'PAYLOAD_INVALID';

export type Decoded<T> = { ok: true; value: T } | { ok: false; code: DecodeErrorCode; reason: string };

function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(message)';
    return boundText(`${path}: ${issue.message}`, MAX_ISSUE_CHARS);
  });
  const more = error.issues.length - described.length;
  return described.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A value the sender chose, named without quoting it at length or walking into it. */
function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(boundText(value, 40));
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

function refuse(code: DecodeErrorCode, reason: string): { ok: false; code: DecodeErrorCode; reason: string } {
  return { ok: false, code, reason: boundText(reason, MAX_REASON_CHARS) };
}

/**
 * Decodes one MQTT payload against a schema of the contract. Pure: never throws on bad input, so
 * every refusal carries a code and a reason a person can act on.
 */
export function decodePayload<S extends z.ZodType>(
  schema: S,
  payload: Uint8Array,
  supportedVersion = 1,
): Decoded<z.output<S>> {
  if (payload.byteLength > MAX_PAYLOAD_BYTES) {
    return refuse(
      'PAYLOAD_TOO_LARGE',
      `payload is ${payload.byteLength} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
    );
  }
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
    return refuse('PAYLOAD_TOO_DEEP', `payload nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return refuse('PAYLOAD_NOT_JSON', `payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== supportedVersion) {
    return refuse(
      'VERSION_UNSUPPORTED',
      `message version ${describeValue(json.v)} is not supported; this receiver speaks v${supportedVersion}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return refuse('PAYLOAD_INVALID', describeIssues(parsed.error));
  return { ok: true, value: parsed.data };
}
