import { ApiClient } from './api-client.js';
import type { Me } from './api-types.js';
import { el, errorBox, messageOf, show } from './elements.js';

/** Who the key belongs to (GET /v1/me); a refused key is an ApiProblem with the API's reason. */
export function whoIs(key: string): Promise<Me> {
  return new ApiClient(key, () => {}).json<Me>('/v1/me');
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
