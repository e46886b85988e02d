import type { Logger } from 'pino';
import type { OwnerClaim, OwnerStore } from './owner-store.js';
import { OwnerTable } from './owner-table.js';
import { readOwnersFile, writeOwnersFile } from './owners-file.js';

/**
 * For disk persistence: the owners in memory, mirrored to a small JSON file that is rewritten
 * atomically on every change. Changes are rare (a new persistent client id, or its owner
 * connecting clean), so rewriting the whole file is cheap. Writes run one at a time; changes made
 * while one runs share the next. A claim whose write fails is refused but stays in memory, reserved
 * for its account, and reaches the file with the next write that succeeds.
 */
export class FileOwnerStore implements OwnerStore {
  readonly #file: string;
  readonly #logger: Logger;
  #table = new OwnerTable();
  /** Bumped by every change; #saved is the version last written to the file. */
  #version = 0;
  #saved = 0;
  #lastWrite: Promise<void> = Promise.resolve();
  /** A write not started yet: it takes the table as it is when it starts. */
  #nextWrite: Promise<void> | undefined;

  constructor(file: string, logger: Logger) {
    this.#file = file;
    this.#logger = logger;
  }

  /** Reads the file; a corrupt one fails the start with SESSION_OWNERS_FILE_INVALID naming it. */
  async start(): Promise<void> {
    this.#table = new OwnerTable(await readOwnersFile(this.#file));
    this.#version = 0;
    this.#saved = 0;
    this.#logger.debug({ file: this.#file, owners: this.#table.size }, 'session owners loaded');
  }

  async stop(): Promise<void> {
    await this.#durable().catch((error: unknown) =>
      this.#logger.error({ err: error, file: this.#file }, 'session owners not saved'),
    );
  }

  /** Resolves once the file holds the owner, also when another connect of the account claimed it first. */
  async claim(clientId: string, username: string): Promise<OwnerClaim> {
    const claim = this.#table.claim(clientId, username);
    if (claim.created) this.#version += 1;
    if (claim.owner === username) await this.#durable();
    return claim;
  }

  async release(clientId: string, username: string): Promise<void> {
    if (!this.#table.release(clientId, username)) return;
    this.#version += 1;
    await this.#durable();
  }

  async ownerOf(clientId: string): Promise<string | undefined> {
    return this.#table.ownerOf(clientId);
  }

  knownOwnerOf(clientId: string): string | undefined {
    return this.#table.ownerOf(clientId);
  }

  get size(): number {
    return this.#table.size;
  }

  /** Resolves once every change made so far is in the file; a failed write is retried by the next call. */
  #durable(): Promise<void> {
    if (this.#saved === this.#version) return Promise.resolve();
    this.#nextWrite ??= this.#lastWrite
      .catch(() => undefined)
      .then(() => {
        this.#nextWrite = undefined;
        const version = this.#version;
        return writeOwnersFile(this.#file, this.#table.entries()).then(() => {
          this.#saved = Math.max(this.#saved, version);
        });
      });
    this.#lastWrite = this.#nextWrite;
    return this.#nextWrite;
  }
}
