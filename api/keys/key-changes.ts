import { ApiError } from '../errors.js';
import type { ApiKeyRecord, ApiKeySpec, IssuedKey, KeysFile } from './api-key.js';
import { generateKey } from './key-secret.js';

/** A new key in the file's content; the returned key is the only copy of its secret. */
export function addKey(content: KeysFile, spec: ApiKeySpec, nowMs: number): IssuedKey {
  const fresh = generateKey();
  const record: ApiKeyRecord = {
    id: fresh.id,
    name: spec.name,
    role: spec.role,
    stations: spec.stations,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: spec.expiresAt,
    revokedAt: null,
    digest: fresh.digest,
  };
  content.keys.push(record);
  const { id, name, role, stations, expiresAt } = record;
  return { id, name, role, stations, expiresAt, key: fresh.key };
}

/** Marks the key revoked; it stays listed so a request with it is told KEY_REVOKED and an audit sees it. */
export function revokeKey(content: KeysFile, id: string, nowMs: number): ApiKeyRecord {
  const record = content.keys.find((key) => key.id === id);
  if (record === undefined) throw new ApiError('API_KEY_NOT_FOUND', `no API key "${id}"`, 404);
  record.revokedAt ??= new Date(nowMs).toISOString();
  return record;
}

/** Drops every key of this name, for a key made afresh at each start (the demo's reader key). */
export function dropKeysNamed(content: KeysFile, name: string): void {
  content.keys = content.keys.filter((key) => key.name !== name);
}
