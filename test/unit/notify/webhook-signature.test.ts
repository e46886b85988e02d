import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookHeaders } from '../../../notify/index.js';

// The test vector published with the Standard Webhooks reference implementations.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signature', () => {
  it('reproduces the reference test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('verifies its own headers, among several signatures, and refuses a changed body or an old timestamp', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    const given = {
      id: headers['webhook-id'] ?? '',
      timestamp: headers['webhook-timestamp'] ?? '',
      signature: `v1,bm9wZQ== ${headers['webhook-signature']}`,
    };
    expect(verifyWebhook(VECTOR.secret, given, VECTOR.body, VECTOR.timestamp)).toBe(true);
    expect(verifyWebhook(VECTOR.secret, given, `${VECTOR.body} `, VECTOR.timestamp)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, given, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
  });
});
