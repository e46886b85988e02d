import type { GatewayKind } from '../../protocol/index.js';
import type { GatewayMessage } from './decode-message.js';

/**
 * What the pipeline does with a valid message of each topic kind, given a context of the caller's
 * choosing. A table rather than a chain of `if`s: the compiler insists on an entry for every kind
 * the contract defines.
 */
export type MessageHandlers<C> = {
  readonly [K in GatewayKind]: (message: GatewayMessage<K>, context: C) => Promise<void>;
};

export function dispatchMessage<K extends GatewayKind, C>(
  handlers: MessageHandlers<C>,
  message: GatewayMessage<K>,
  context: C,
): Promise<void> {
  return handlers[message.kind](message, context);
}
