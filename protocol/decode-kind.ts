import { type Decoded, decodePayload } from './decode.js';
import { MESSAGE_KINDS, type MessageKind, type MessageOf } from './message-kinds.js';

/** Decodes a payload against the schema the contract's table names for `kind`. Pure, never throws. */
export function decodeKind<K extends MessageKind>(kind: K, payload: Uint8Array): Decoded<MessageOf<K>> {
  // The value was parsed by `kind`'s own schema; TypeScript resolves a generic key of the table to
  // the union of all schemas, so the correlation has to be stated.
  return decodePayload(MESSAGE_KINDS[kind].schema, payload) as Decoded<MessageOf<K>>;
}
