import { FilesWatcher } from '../files-watcher.js';
import type { CredentialsFile } from './account-schema.js';
import { readCredentialsFile } from './credentials-file.js';

export interface CredentialsWatcherOptions {
  file: string;
  onReload: (content: CredentialsFile) => void;
  onError: (error: unknown) => void;
  debounceMs?: number;
}

/** Reads the credentials file again whenever it changes; the file's directory must exist before start(). */
export class CredentialsWatcher {
  readonly #watcher: FilesWatcher;

  constructor(options: CredentialsWatcherOptions) {
    const { file, onReload, onError, debounceMs } = options;
    this.#watcher = new FilesWatcher({
      files: [file],
      onChange: async () => {
        const content = await readCredentialsFile(file);
        // A reload that finishes after stop() must not install accounts in a stopped broker.
        if (this.#watcher.watching) onReload(content);
      },
      onError,
      ...(debounceMs === undefined ? {} : { debounceMs }),
    });
  }

  start(): void {
    this.#watcher.start();
  }

  stop(): void {
    this.#watcher.stop();
  }
}
