import type { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from './readings.js';

/** Stable codes for the ways a message can be refused; they name quarantine records and log lines. */
export type DecodeErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_NOT_JSON'
  | 'VERSION_UNSUPPORTED'
  | 'PAYLOAD_INVALID';

export type Decoded<T> = { ok: true; value: T } | { ok: false; code: DecodeErrorCode; reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
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
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      reason: `payload is ${payload.byteLength} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      code: 'PAYLOAD_NOT_JSON',
      reason: `payload is not JSON: ${(error as Error).message}`,
    };
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== supportedVersion) {
    return {
      ok: false,
      code: 'VERSION_UNSUPPORTED',
      reason: `message version ${JSON.stringify(json.v)} is not supported; this receiver speaks v${supportedVersion}`,
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: describeIssues(parsed.error) };
  }
  return { ok: true, value: parsed.data };
}
