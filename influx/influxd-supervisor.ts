import type { Logger } from 'pino';
import { InfluxError } from './errors.js';
import {
  decideRestart,
  type Outage,
  type RestartPolicy,
  type RestartPolicyInput,
  RestartPolicySchema,
} from './restart-policy.js';

/** How a server process ended: its exit code, or the signal that ended it. */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The server the supervisor keeps running, such as a LocalInfluxd. */
export interface SupervisedServer {
  readonly pid: number | undefined;
  /** Resolves with the URL once the server answers, within `timeoutMs`; rejects otherwise. */
  start(timeoutMs?: number): Promise<string>;
  /** Ends the server, including one still starting. */
  stop(): Promise<void>;
}

export interface InfluxdSupervisorOptions {
  /** Builds the server, which calls `onUnexpectedExit` when it ends without stop() having been called. */
  server: (onUnexpectedExit: (exit: ServerExit) => void) => SupervisedServer;
  policy?: RestartPolicyInput;
  logger?: Logger;
  now?: () => number;
}

export interface RestartStats {
  /** Restarts that brought the server back. */
  restarts: number;
  /** Restart attempts that did not. */
  failedRestarts: number;
}

type State = 'idle' | 'running' | 'down' | 'stopped' | 'failed';

/**
 * Keeps a private influxd running: when it exits on its own, it is started again on the same ports
 * and data with a growing wait between attempts; if it is not back within the policy's time,
 * `failed` resolves so the process can exit and a service manager start everything afresh.
 */
export class InfluxdSupervisor {
  /** Resolves (never rejects) once the supervisor has given up on the server. */
  readonly failed: Promise<Error>;
  private reportFailure: (error: Error) => void = () => {};
  private readonly server: SupervisedServer;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;
  private state: State = 'idle';
  private outage: Outage | undefined;
  private lastError: unknown;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private readonly counts: RestartStats = { restarts: 0, failedRestarts: 0 };

  constructor(private readonly options: InfluxdSupervisorOptions) {
    this.failed = new Promise((resolve) => {
      this.reportFailure = resolve;
    });
    this.server = options.server((exit) => this.exited(exit));
    this.policy = RestartPolicySchema.parse(options.policy ?? {});
    this.now = options.now ?? Date.now;
  }

  /** The first start is not retried: a server that never came up is a setup problem to report. */
  async start(): Promise<string> {
    const url = await this.server.start();
    this.state = 'running';
    return url;
  }

  stats(): RestartStats {
    return { ...this.counts };
  }

  /** Stops the server for good; an attempt under way is cancelled and awaited, so no server outlives this. */
  async stop(): Promise<void> {
    if (this.state !== 'failed') this.state = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.server.stop();
    await this.attempt;
  }

  private exited(exit: ServerExit): void {
    if (this.state !== 'running') return;
    this.state = 'down';
    this.outage = { since: this.now(), attempts: 0 };
    this.lastError = new Error(`influxd exited with ${exit.signal ?? `code ${exit.code}`}`);
    this.scheduleAttempt();
  }

  private scheduleAttempt(): void {
    const outage = this.outage;
    if (outage === undefined) return;
    const decision = decideRestart(outage, this.now(), this.policy);
    if (decision.kind === 'give-up') {
      this.giveUp(outage, decision.downForMs);
      return;
    }
    this.options.logger?.warn(
      { attempt: decision.attempt, delayMs: decision.delayMs },
      'private influxd is down; restarting it',
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt = this.restart(outage, decision.attempt, decision.startTimeoutMs);
    }, decision.delayMs);
  }

  private async restart(outage: Outage, attempt: number, startTimeoutMs: number): Promise<void> {
    outage.attempts = attempt;
    try {
      const url = await this.server.start(startTimeoutMs);
      if (this.state !== 'down') return;
      this.counts.restarts += 1;
      this.state = 'running';
      this.outage = undefined;
      const downForMs = this.now() - outage.since;
      this.options.logger?.info(
        { attempt, downForMs, url, influxdPid: this.server.pid },
        'private influxd restarted',
      );
    } catch (error) {
      if (this.state !== 'down') return;
      this.counts.failedRestarts += 1;
      this.lastError = error;
      this.options.logger?.warn({ attempt, err: error }, 'private influxd restart failed');
      this.scheduleAttempt();
    }
  }

  private giveUp(outage: Outage, downForMs: number): void {
    this.state = 'failed';
    // The last failure is the cause, which pino's error serializer appends to the message.
    const error = new InfluxError(
      'INFLUXD_RESTART_FAILED',
      `the private influxd exited and could not be restarted within ${this.policy.giveUpAfterMs / 1000} s ` +
        `(${outage.attempts} attempts)`,
      false,
      undefined,
      { cause: this.lastError },
    );
    this.options.logger?.error(
      { attempts: outage.attempts, downForMs, err: error },
      'private influxd could not be restarted; giving up',
    );
    this.reportFailure(error);
  }
}
