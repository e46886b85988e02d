/** The part of an Aedes persistence (aedes-persistence-*) that lists retained messages. */
export interface RetainedStore {
  createRetainedStream(pattern: string): AsyncIterable<unknown>;
}

function isRetainedStore(value: unknown): value is RetainedStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    'createRetainedStream' in value &&
    typeof value.createRetainedStream === 'function'
  );
}

/** Aedes keeps its persistence as an untyped property, set once it listens. */
export function retainedStoreOf(aedes: object): RetainedStore | undefined {
  const persistence = 'persistence' in aedes ? aedes.persistence : undefined;
  return isRetainedStore(persistence) ? persistence : undefined;
}

/**
 * Streams every retained message once to count it. Cheap for this broker's retained set (one
 * status per gateway, one state per alert rule), and right for a shared persistence too, where
 * other nodes retain messages this node never sees published.
 */
export async function countRetained(store: RetainedStore): Promise<number> {
  let count = 0;
  for await (const _packet of store.createRetainedStream('#')) count += 1;
  return count;
}
