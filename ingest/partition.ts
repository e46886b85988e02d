import { z } from 'zod';
import { parseGatewayTopic } from '../protocol/index.js';
import { fnv1a } from './stable-hash.js';

/** `i/n`: this ingest takes the gateways that hash to i of n (0 ≤ i < n). */
export const PartitionSchema = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be i/n, such as 0/2')
  .transform((text) => {
    const [index, count] = text.split('/').map(Number) as [number, number];
    return { index, count };
  })
  .refine(({ index, count }) => count >= 1 && index < count, 'needs 0 ≤ i < n, such as 0/2 and 1/2');
export type Partition = z.output<typeof PartitionSchema>;

/**
 * Whether a message on `topic` is this ingest's to store. Aedes has no shared subscriptions, so every
 * ingest's persistent session receives everything; each keeps the gateways that hash to its index
 * and acknowledges the rest untouched (the ingest that owns them has its own copy queued). A whole
 * gateway goes to one ingest, so its sequence numbers are tracked in one place. Topics that name no
 * gateway (a rule's ack, silence or delivery record, or one outside the contract) are stored or
 * quarantined by partition 0 alone. Pure.
 */
export function ownsTopic(topic: string, partition: Partition): boolean {
  if (partition.count === 1) return true;
  const address = parseGatewayTopic(topic);
  if (address === undefined) return partition.index === 0;
  return fnv1a(`${address.station}/${address.gateway}`) % partition.count === partition.index;
}
