import {
  EARLIEST_SAMPLE_MS,
  LATEST_SAMPLE_MS,
  MAX_PAYLOAD_BYTES,
  MetaMessageSchema,
} from '../../protocol/index.js';
import { type MetaContent, type MetaPublished, planMeta } from './build-meta.js';

/** What the publisher is given about metadata. */
export interface MetaOptions {
  content: MetaContent;
  /** What the broker last acknowledged, from an earlier run. */
  last: MetaPublished | undefined;
  /** Called once the broker acknowledged a new meta message; the gateway keeps it on disk. */
  onPublished(published: MetaPublished): void;
}

/** What to do about the meta message at a connection: nothing, publish it, or say why not. */
export type MetaAnnouncement =
  | { action: 'none' }
  | { action: 'publish'; payload: string; published: MetaPublished }
  | { action: 'skip'; code: 'CLOCK_UNSET' | 'META_TOO_LARGE' | 'PAYLOAD_INVALID'; reason: string };

/**
 * The meta message to publish at a connection, if any: only when its content differs from what the
 * broker last acknowledged, stamped with the time of the change. Pure; the publisher sends it.
 */
export function prepareMeta(
  content: MetaContent,
  last: MetaPublished | undefined,
  nowMs: number,
): MetaAnnouncement {
  const plan = planMeta(content, last, nowMs);
  if (!plan.changed) return { action: 'none' };
  // A Pi without RTC before NTP reads 1970: the change would be dated then, and the contract refuses it.
  if (plan.time < EARLIEST_SAMPLE_MS || plan.time > LATEST_SAMPLE_MS) {
    return {
      action: 'skip',
      code: 'CLOCK_UNSET',
      reason: 'the clock is not set; tried again at the next connection',
    };
  }
  const message = { v: 1, time: plan.time, ...content };
  const checked = MetaMessageSchema.safeParse(message);
  if (!checked.success) return { action: 'skip', code: 'PAYLOAD_INVALID', reason: checked.error.message };
  const payload = JSON.stringify(message);
  // The ingest refuses larger payloads unread; better said here, where the config can be fixed.
  const bytes = Buffer.byteLength(payload);
  if (bytes > MAX_PAYLOAD_BYTES) {
    return { action: 'skip', code: 'META_TOO_LARGE', reason: `${bytes} bytes is over ${MAX_PAYLOAD_BYTES}` };
  }
  return { action: 'publish', payload, published: { hash: plan.hash, time: plan.time } };
}
