import { describe, expect, it } from 'vitest';
import { bundledConfig } from '../../../cli/package-root.js';
import { loadSubscribers, parseSubscribers, SubscribersError } from '../../../notify/index.js';

function errorOf(text: string): SubscribersError {
  try {
    parseSubscribers(text, 'subs.yaml');
  } catch (error) {
    if (error instanceof SubscribersError) return error;
    throw error;
  }
  throw new Error('expected a SubscribersError');
}

const CONTACTS = 'contacts:\n  - name: ana\n    email: ana@example.org\n';

describe('subscribers file', () => {
  it('loads the bundled example', async () => {
    const subscribers = await loadSubscribers(bundledConfig('subscribers.yaml'));
    expect(subscribers.routes.map((route) => route.name)).toEqual(['jinfo', 'xuefeng', 'icing-pager']);
    expect(JSON.stringify(subscribers)).not.toMatch(/@(?!example\.org)/);
  });

  it('names the file, the path and the expectation', () => {
    const error = errorOf(`${CONTACTS}routes:\n  - name: r\n    chain: [bob]\n    repeatEvery: -1\n`);
    expect(error.code).toBe('SUBSCRIBERS_INVALID');
    expect(error.message).toContain('subs.yaml: ');
    expect(error.issues).toContain('routes.0.repeatEvery: must be a positive number of minutes');
    expect(error.issues).toContain('routes.0.chain.0: "bob" is not one of the contacts');
    expect(error.issues).toContain('contacts.0.email: an email contact needs the smtp settings');
  });

  it('refuses webhook secrets that are not Standard Webhooks secrets, and contacts with no channel', () => {
    const error = errorOf(
      'contacts:\n  - name: hook\n    webhook: { url: "https://h.example.org", secret: "hunter2" }\n  - name: mute\nroutes:\n  - name: r\n    chain: [hook]\n',
    );
    expect(error.issues).toContain('contacts.0.webhook.secret: must be "whsec_" followed by a base64 key');
    expect(error.issues).toContain('contacts.1: needs an email address, a webhook, or both');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('contacts: [\n').issues[0]).toMatch(/^line \d+: /);
  });
});
