import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { AlertRule } from './alert-rule.js';
import { loadAlertRules } from './load-rules.js';

/** Editors write in bursts (truncate, write, rename): one reload after the file has been quiet. */
const SETTLE_MS = 250;

export interface RulesWatcherOptions {
  file: string;
  logger: Logger;
  /** A valid new file's rules. */
  onRules: (rules: readonly AlertRule[]) => void;
  settleMs?: number;
}

/**
 * Watches the rules file for live reload. The directory is watched, not the file: an editor or
 * `mv` that replaces the file gives it a new inode a file watch would lose. An invalid file is
 * logged (file, path, expectation) and the rules in force stay.
 */
export class RulesWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly options: RulesWatcherOptions) {}

  start(): void {
    const name = basename(this.options.file);
    this.watcher = watch(dirname(this.options.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.loading = this.loading.then(() => this.reload());
      }, this.options.settleMs ?? SETTLE_MS);
    });
    this.watcher.on('error', (error) =>
      this.options.logger.error({ file: this.options.file, err: error }, 'alert rules watch failed'),
    );
  }

  private async reload(): Promise<void> {
    const { file, logger } = this.options;
    try {
      const rules = await loadAlertRules(file);
      this.options.onRules(rules);
    } catch (error) {
      logger.error({ file, err: error }, 'alert rules file invalid; the previous rules stay in force');
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
    await this.loading;
  }
}
