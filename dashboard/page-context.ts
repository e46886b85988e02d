import type { ApiClient } from './api-client.js';
import type { AlertItem, Me } from './api-types.js';

/** What a page gets from the shell: the signed-in client, who is signed in, where to draw, its address. */
export interface PageContext {
  api: ApiClient;
  me: Me;
  root: HTMLElement;
  params: URLSearchParams;
  /** Called on each alert from the live stream while the page is shown. */
  onAlert(listener: (alert: AlertItem) => void): void;
  /** Runs `task` every `ms` while the page is shown. */
  every(ms: number, task: () => Promise<void>): void;
}

export type Page = (context: PageContext) => Promise<void>;
