import { z } from 'zod';

/** What an API key may do; each role includes the ones before it. */
export const ROLES = ['reader', 'technician', 'admin'] as const;
export const RoleSchema = z.enum(ROLES).describe('reader, technician or admin; each includes the one before');
export type Role = z.infer<typeof RoleSchema>;

/** What a route asks of its caller: no key at all (`public`), or a key of at least this role. */
export type AccessLevel = 'public' | Role;

/** Whether a key of `role` may call a route that asks for `access`. */
export function roleMayUse(role: Role, access: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(access);
}
