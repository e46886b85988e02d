import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { loadSubscribers } from './load-subscribers.js';
import type { Subscribers } from './subscribers-schema.js';

export interface SubscribersWatchOptions {
  file: string;
  logger: Logger;
  onChange(subscribers: Subscribers): void;
  /** Editors write in bursts (truncate, write, rename): reload once the file has been quiet this long. */
  debounceMs?: number;
}

/**
 * Watches the subscribers file and hands every valid new version to `onChange`. An invalid version is
 * logged and ignored, so the subscriptions in force stay until the file is fixed. The directory is
 * watched, not the file, because editors and config managers replace the file by renaming.
 */
export class SubscribersWatch {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  reloads = 0;
  rejected = 0;

  constructor(private readonly options: SubscribersWatchOptions) {}

  start(): void {
    const name = basename(this.options.file);
    this.watcher = watch(dirname(this.options.file), (_event, changed) => {
      if (changed === null || changed === name) this.schedule();
    });
    this.watcher.on('error', (error) =>
      this.options.logger.warn({ file: this.options.file, err: error }, 'cannot watch the subscribers file'),
    );
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 200);
    this.timer.unref();
  }

  private async reload(): Promise<void> {
    const { file, logger } = this.options;
    try {
      const subscribers = await loadSubscribers(file);
      this.reloads++;
      logger.info(
        { file, contacts: subscribers.contacts.length, routes: subscribers.routes.length },
        'subscribers reloaded',
      );
      this.options.onChange(subscribers);
    } catch (error) {
      this.rejected++;
      logger.error(
        { file, err: error },
        'the new subscribers file is invalid; the previous one stays in force',
      );
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
