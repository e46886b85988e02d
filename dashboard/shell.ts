import { type ApiClient, ApiProblem } from './api-client.js';
import type { AlertItem, Me } from './api-types.js';
import { el, errorBox, messageOf, show } from './elements.js';
import { AlertStream } from './live/alert-stream.js';
import { href, parseLocation } from './location.js';
import type { PageContext } from './page-context.js';
import { ROUTES } from './routes.js';
import { isTechnician } from './session.js';

/**
 * The signed-in frame: navigation, who is signed in, the live stream's state, and the page of the
 * current address. Navigating clears the previous page's timers and stream listeners.
 */
export class Shell {
  private readonly main = el('main', { id: 'page' });
  private readonly liveState = el('span', { class: 'live', title: 'live alert stream' }, 'connecting…');
  private readonly firingBadge = el('span', { class: 'badge', hidden: true });
  private readonly links = new Map<string, HTMLAnchorElement>();
  private listeners: ((alert: AlertItem) => void)[] = [];
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly stream: AlertStream;
  private readonly firing = new Map<string, AlertItem>();
  private readonly onHashChange = () => void this.render();

  constructor(
    private readonly root: HTMLElement,
    private readonly api: ApiClient,
    private readonly me: Me,
    private readonly signOut: () => void,
  ) {
    this.stream = new AlertStream(
      api,
      (alert) => this.alert(alert),
      (up) => this.streamState(up),
    );
  }

  start(): void {
    show(this.root, this.header(), this.main);
    window.addEventListener('hashchange', this.onHashChange);
    this.stream.start();
    void this.render();
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    this.stream.stop();
    this.leavePage();
  }

  private header(): HTMLElement {
    const nav = el('nav', { 'aria-label': 'Pages' });
    for (const route of ROUTES) {
      if (route.technician && !isTechnician(this.me)) continue;
      const link = el('a', { href: href(route.path) }, route.title);
      if (route.path === 'alerts') link.append(' ', this.firingBadge);
      this.links.set(route.path, link);
      nav.append(link);
    }
    const signOut = el('button', { type: 'button', class: 'sign-out' }, 'Sign out');
    signOut.addEventListener('click', this.signOut);
    return el(
      'header',
      {},
      el('span', { class: 'brand' }, 'fieldstation'),
      nav,
      el('span', { class: 'who' }, `${this.me.name} · ${this.me.role}`, ' ', this.liveState, ' ', signOut),
    );
  }

  private alert(alert: AlertItem): void {
    const key = `${alert.station}/${alert.rule}`;
    if (alert.state === 'firing') this.firing.set(key, alert);
    else this.firing.delete(key);
    this.firingBadge.textContent = String(this.firing.size);
    this.firingBadge.hidden = this.firing.size === 0;
    for (const listener of this.listeners) listener(alert);
  }

  private streamState(connected: boolean): void {
    this.liveState.textContent = connected ? '● live' : '○ reconnecting';
    this.liveState.classList.toggle('up', connected);
  }

  private leavePage(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.listeners = [];
  }

  private async render(): Promise<void> {
    this.leavePage();
    const { path, params } = parseLocation(window.location.hash);
    const route = ROUTES.find((candidate) => candidate.path === path) ?? ROUTES[0];
    if (route === undefined) return;
    for (const [name, link] of this.links) link.classList.toggle('current', name === route.path);
    document.title = `${route.title} · fieldstation`;
    const root = el('div', { class: `page page-${route.path}`, 'aria-busy': 'true' });
    show(this.main, root);
    const context: PageContext = {
      api: this.api,
      me: this.me,
      root,
      params,
      onAlert: (listener) => this.listeners.push(listener),
      // A failed refresh leaves the last good view up until the next one; a 401 has signed out already.
      every: (ms, task) => this.timers.push(setInterval(() => void task().catch(() => {}), ms)),
    };
    try {
      if (route.technician && !isTechnician(this.me)) throw new Error('This page is for technicians.');
      await route.page(context);
    } catch (error) {
      // A page that fails shows why, never a blank page; a 401 has already gone back to sign-in.
      if (!(error instanceof ApiProblem && error.status === 401)) {
        show(root, errorBox(messageOf(error)));
      }
    } finally {
      root.setAttribute('aria-busy', 'false');
    }
  }
}
