import type { FastifyRequest } from 'fastify';
import type { ApiKeyRecord } from '../keys/api-key.js';
import { type Role, roleMayUse } from '../keys/roles.js';
import { stationAllowed } from './station-scope.js';

/** The key of a request to a route that needs one; the authentication hook let nobody else in. */
export function requestKey(request: FastifyRequest): ApiKeyRecord {
  if (request.apiKey === null)
    throw new Error(`${request.method} ${request.url} reached its handler without a key`);
  return request.apiKey;
}

/** Whether the request's key may see a station; list routes keep only what this admits. */
export function stationFilter(request: FastifyRequest): (station: string | null) => boolean {
  const allowed = requestKey(request).stations;
  return (station) => stationAllowed(allowed, station);
}

/** The stations the request's key is limited to; null: every station. */
export function keyStations(request: FastifyRequest): readonly string[] | null {
  return requestKey(request).stations;
}

/** Whether the request's key has at least this role, for parts of an answer (a gateway's health). */
export function keyHasRole(request: FastifyRequest, role: Role): boolean {
  return roleMayUse(requestKey(request).role, role);
}
