import { decodeKind } from '../../protocol/index.js';

/**
 * Why a message found in the outbox at start may not be published, or undefined when it may. Such a
 * message was written by an earlier run, perhaps by another version of the software, and lay on an
 * SD card through whatever ended that run: the contract is checked again before it leaves.
 */
export function recoveredBatchRefusal(payload: string): string | undefined {
  const decoded = decodeKind('readings', Buffer.from(payload));
  return decoded.ok ? undefined : `${decoded.code}: ${decoded.reason}`;
}
