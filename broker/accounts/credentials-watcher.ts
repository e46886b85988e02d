import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CredentialsFile } from './account-schema.js';
import { readCredentialsFile } from './credentials-file.js';

export interface CredentialsWatcherOptions {
  file: string;
  onReload: (content: CredentialsFile) => void;
  onError: (error: unknown) => void;
  /** Several writes in a burst (temp file, rename) cause one reload. */
  debounceMs?: number;
}

const DEFAULT_DEBOUNCE_MS = 100;

/**
 * Watches the file's directory rather than the file: writers replace the file by rename, which
 * would leave a watch on the old inode blind. The directory must exist before start().
 */
export class CredentialsWatcher {
  readonly #options: CredentialsWatcherOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> = Promise.resolve();

  constructor(options: CredentialsWatcherOptions) {
    this.#options = options;
  }

  start(): void {
    const name = basename(this.#options.file);
    this.#watcher = watch(dirname(this.#options.file), (_event, filename) => {
      if (filename === null || filename === name) this.#schedule();
    });
    this.#watcher.on('error', this.#options.onError);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#reloading = this.#reloading.then(() => this.#reload());
    }, this.#options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  async #reload(): Promise<void> {
    try {
      const content = await readCredentialsFile(this.#options.file);
      if (this.#watcher !== undefined) this.#options.onReload(content);
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
