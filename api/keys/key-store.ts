import type { ApiKeyRecord, ApiKeySpec, IssuedKey } from './api-key.js';

/** Where the API finds and manages its keys: the keys file in production, a stand-in in tests. */
export interface ApiKeyStore {
  /** The key with this id as it is stored now, revoked and expired ones included. */
  find(id: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  add(spec: ApiKeySpec): Promise<IssuedKey>;
  /** 404 API_KEY_NOT_FOUND for an unknown id. */
  revoke(id: string): Promise<ApiKeyRecord>;
}
