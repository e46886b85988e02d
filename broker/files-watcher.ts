import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FilesWatcherOptions {
  files: readonly string[];
  /** Runs after the files changed: debounced, and never while the previous run is still going. */
  onChange: () => Promise<void>;
  /** A run that failed, or a watch the OS gave up on. */
  onError: (error: unknown) => void;
  /** Several writes in a burst (temp file, rename; a certificate and then its key) cause one run. */
  debounceMs?: number;
  /** Also run this often whatever fs.watch says, for mounts whose changes it does not see; absent: never. */
  pollMs?: number;
}

const DEFAULT_DEBOUNCE_MS = 100;

/**
 * Watches files through their directories rather than themselves: writers replace a file by rename
 * (and certbot re-points a symlink), which would leave a watch on the old inode blind. The
 * directories must exist before start().
 */
export class FilesWatcher {
  readonly #options: FilesWatcherOptions;
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: FilesWatcherOptions) {
    this.#options = options;
  }

  get watching(): boolean {
    return this.#watchers.length > 0;
  }

  start(): void {
    const { files, pollMs, onError } = this.#options;
    for (const directory of new Set(files.map((file) => dirname(file)))) {
      const names = new Set(
        files.filter((file) => dirname(file) === directory).map((file) => basename(file)),
      );
      const watcher = watch(directory, (_event, filename) => {
        if (filename === null || names.has(filename)) this.#schedule();
      });
      watcher.on('error', onError);
      this.#watchers.push(watcher);
    }
    if (pollMs !== undefined) {
      this.#poll = setInterval(() => this.#schedule(), pollMs);
      this.#poll.unref();
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    for (const watcher of this.#watchers.splice(0)) watcher.close();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#running.then(() => this.#run());
    }, this.#options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  async #run(): Promise<void> {
    if (!this.watching) return;
    try {
      await this.#options.onChange();
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
