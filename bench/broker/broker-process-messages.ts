/** What the benchmark asks of a Node broker process (its only argument, as JSON). */
export type BrokerProcessRequest =
  | { kind: 'ours'; credentialsFile: string; logLevel: string }
  | { kind: 'aedes' };

/** IPC between the benchmark and a broker process, both ways. */
export type BrokerProcessMessage =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'stop' };
