import { MESSAGE_KINDS, parseGatewayTopic } from '../../protocol/index.js';

/**
 * Whether the contract forbids retaining a message on this topic: a gateway's readings and health
 * are not retained, or every new subscriber (the ingest at each start) would get a stale batch.
 */
export function retainForbidden(topic: string): boolean {
  const gatewayTopic = parseGatewayTopic(topic);
  return gatewayTopic !== undefined && !MESSAGE_KINDS[gatewayTopic.kind].retain;
}
