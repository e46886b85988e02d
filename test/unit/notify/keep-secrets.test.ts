import { describe, expect, it } from 'vitest';
import { formatSubscribers, keepWebhookSecrets, parseSubscribers } from '../../../notify/index.js';
import { SECRET, subscribers } from './fixtures.js';

describe('keepWebhookSecrets', () => {
  it('fills a webhook given without a secret from the contact of the same name', () => {
    const document = { contacts: [{ name: 'ben', webhook: { url: 'https://hooks.example.org/moved' } }] };
    expect(keepWebhookSecrets(document, subscribers())).toEqual({
      contacts: [{ name: 'ben', webhook: { url: 'https://hooks.example.org/moved', secret: SECRET } }],
    });
  });

  it('leaves a given secret, a contact the file lacks and a contact without a webhook alone', () => {
    const document = {
      routes: [],
      contacts: [
        { name: 'ben', webhook: { url: 'https://x.example.org/', secret: 'whsec_other' } },
        { name: 'newcomer', webhook: { url: 'https://x.example.org/' } },
        { name: 'ana', webhook: { url: 'https://x.example.org/' } },
        { name: 'chief', email: 'chief@example.org' },
        'not a contact',
      ],
    };
    expect(keepWebhookSecrets(document, subscribers())).toEqual(document);
  });

  it('passes anything that is not a document through, for validation to report', () => {
    expect(keepWebhookSecrets([1], subscribers())).toEqual([1]);
    expect(keepWebhookSecrets({ contacts: 'x' }, subscribers())).toEqual({ contacts: 'x' });
    expect(keepWebhookSecrets({ contacts: [] }, undefined)).toEqual({ contacts: [] });
  });
});

describe('formatSubscribers', () => {
  it('writes YAML that parses back to the same subscriptions', () => {
    const original = subscribers({ stations: ['jinfo'], rules: ['co2-high'], repeatEvery: 30 });
    expect(parseSubscribers(formatSubscribers(original), 'written.yaml')).toEqual(original);
  });
});
