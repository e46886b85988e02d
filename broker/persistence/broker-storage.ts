/**
 * What Aedes keeps its state in: the persistence (sessions, queued QoS 1/2 messages, retained
 * messages, wills) and, for a cluster, the emitter that carries publishes between nodes.
 */
export interface BrokerStorage {
  /**
   * An aedes-persistence instance, handed to Aedes as `persistence`. Opaque here: the packages'
   * typings describe a callback API that predates the promises Aedes 1.2 calls. A wrapper (a cap
   * on what an offline session may queue, say) takes and returns this value.
   */
  readonly persistence: object;
  /** Handed to Aedes as `mq`; undefined keeps Aedes' own in-process emitter. */
  readonly emitter: object | undefined;
  /** Releases the store (LevelDB, Redis connections) once Aedes has closed. Safe to call twice. */
  close(): Promise<void>;
}
