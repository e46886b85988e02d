import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface MosquittoSubOptions {
  port: number;
  username: string;
  password: string;
  topic: string;
  clientId?: string;
  keepalive?: number;
  will?: { topic: string; payload: string; retain?: boolean };
  /** Exit after this many messages. */
  count?: number;
  /** The QoS asked for (default 1). */
  qos?: 0 | 1 | 2;
  /** Clean session off (-c), so the broker keeps the session after it leaves. */
  persistent?: boolean;
  /** mosquitto_sub's -F output format, e.g. '%r %q %t %p' (retain flag, QoS, topic, payload). */
  format?: string;
}

/**
 * Debian's mosquitto_sub (libmosquitto, an implementation independent of MQTT.js) as a child
 * process. Its stdout is block-buffered through a pipe, so tests wait on the broker's side for it
 * to connect rather than on its output.
 */
export class MosquittoSub {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #output = '';
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    const collect = (chunk: Buffer): void => {
      this.#output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static start(options: MosquittoSubOptions): MosquittoSub {
    const args = ['-V', 'mqttv311', '-h', '127.0.0.1', '-p', String(options.port)];
    args.push('-u', options.username, '-P', options.password, '-q', String(options.qos ?? 1));
    args.push('-t', options.topic);
    if (options.persistent) args.push('-c');
    if (options.format !== undefined) args.push('-F', options.format);
    if (options.clientId !== undefined) args.push('-i', options.clientId);
    if (options.keepalive !== undefined) args.push('-k', String(options.keepalive));
    if (options.count !== undefined) args.push('-C', String(options.count));
    const { will } = options;
    if (will !== undefined) {
      args.push('--will-topic', will.topic, '--will-payload', will.payload, '--will-qos', '1');
      if (will.retain) args.push('--will-retain');
    }
    return new MosquittoSub(spawn('mosquitto_sub', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get output(): string {
    return this.#output;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Ends the process for good (a stopped one too); safe to call after it exited. */
  async kill(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGKILL');
    await this.exited;
  }
}
