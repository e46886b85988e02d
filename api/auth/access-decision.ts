import type { ApiKeyRecord } from '../keys/api-key.js';
import { type AccessLevel, roleMayUse } from '../keys/roles.js';
import type { AuthRefusal } from './auth-metrics.js';
import { stationAllowed } from './station-scope.js';

export type AccessDecision = { ok: true } | { ok: false; code: AuthRefusal; message: string };

/**
 * Whether a valid key may make this request: its role must reach the route's level, and every
 * station the request names must be one of the key's. A route that declares no level admits nobody.
 */
export function accessDecision(
  key: Pick<ApiKeyRecord, 'id' | 'role' | 'stations'>,
  access: AccessLevel | undefined,
  stations: readonly string[],
): AccessDecision {
  if (access === undefined) {
    return {
      ok: false,
      code: 'ROLE_FORBIDDEN',
      message: 'this route declares no access level, so no key may use it',
    };
  }
  if (access !== 'public' && !roleMayUse(key.role, access)) {
    return {
      ok: false,
      code: 'ROLE_FORBIDDEN',
      message: `this route needs the ${access} role; API key ${key.id} has the ${key.role} role`,
    };
  }
  const other = stations.find((station) => !stationAllowed(key.stations, station));
  if (other !== undefined) {
    return {
      ok: false,
      code: 'STATION_FORBIDDEN',
      message: `API key ${key.id} may not see station "${other}"; it is limited to ${key.stations?.join(', ')}`,
    };
  }
  return { ok: true };
}
