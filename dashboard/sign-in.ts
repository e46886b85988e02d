import { ApiClient, ApiProblem } from './api-client.js';
import type { Me } from './api-types.js';
import { el, errorBox, messageOf, show } from './elements.js';

/**
 * Asks the API who the key belongs to. An API from before keys has no /v1/me and asks for no key:
 * whoever reaches it may do everything, so the dashboard shows everything.
 */
export async function whoIs(key: string): Promise<Me> {
  const api = new ApiClient(key, () => {});
  try {
    return await api.json<Me>('/v1/me');
  } catch (error) {
    if (error instanceof ApiProblem && error.code === 'ROUTE_NOT_FOUND') {
      return { id: 'open', name: 'open API (no keys)', role: 'admin', stations: null, expiresAt: null };
    }
    throw error;
  }
}

/** The sign-in form; resolves with the key and its owner once the API accepts the key. */
export function signIn(root: HTMLElement, message: string | undefined): Promise<{ key: string; me: Me }> {
  return new Promise((resolve) => {
    const input = el('input', {
      id: 'key',
      name: 'key',
      type: 'password',
      autocomplete: 'current-password',
      placeholder: 'fsk_…',
      required: true,
    });
    const problem = el('div', { class: 'problem' }, message === undefined ? null : errorBox(message));
    const button = el('button', { type: 'submit' }, 'Sign in');
    const form = el(
      'form',
      { class: 'sign-in', 'aria-label': 'Sign in' },
      el('h1', {}, 'fieldstation'),
      el('label', { for: 'key' }, 'API key'),
      input,
      button,
      problem,
      el(
        'p',
        { class: 'hint' },
        'An administrator creates keys with: fieldstation apikey add --role reader --name …',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value.trim();
      button.disabled = true;
      whoIs(key)
        .then((me) => resolve({ key, me }))
        .catch((error: unknown) => {
          show(problem, errorBox(messageOf(error)));
          button.disabled = false;
        });
    });
    show(root, form);
    input.focus();
  });
}
