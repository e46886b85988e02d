import type { Me } from './api-types.js';

const KEY_ITEM = 'fieldstation.key';

/**
 * The key lives in sessionStorage: it survives a reload and goes when the tab is closed, and it is
 * never put in a URL (the contract forbids keys in URLs).
 */
export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY_ITEM);
  },
  remember(key: string): void {
    sessionStorage.setItem(KEY_ITEM, key);
  },
  forget(): void {
    sessionStorage.removeItem(KEY_ITEM);
  },
};

/** Technicians and admins act on alerts and read the quarantine and gateway health. */
export function isTechnician(me: Me): boolean {
  return me.role === 'technician' || me.role === 'admin';
}
