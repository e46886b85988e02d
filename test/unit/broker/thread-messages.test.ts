import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../../broker/errors.js';
import { fromThreadError, toThreadError } from '../../../broker/thread/thread-messages.js';

/** Through the structured clone a worker's postMessage applies, as the real errors travel. */
function acrossThreads(error: unknown): Error {
  return fromThreadError(structuredClone(toThreadError(error)));
}

describe('errors between the broker thread and its parent', () => {
  it('keep a BrokerError a BrokerError with its code and message', () => {
    const error = acrossThreads(new BrokerError('CREDENTIALS_FILE_INVALID', 'accounts.json: bad JSON'));
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: 'CREDENTIALS_FILE_INVALID', message: 'accounts.json: bad JSON' });
  });

  it('keep a system error’s code, which the structured clone alone would drop', () => {
    const listen = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:1883'), {
      code: 'EADDRINUSE',
    });
    expect(acrossThreads(listen)).toMatchObject({ code: 'EADDRINUSE', message: listen.message });
    expect(acrossThreads(listen).stack).toBe(listen.stack);
  });

  it('turn a thrown non-Error into an Error that says what was thrown', () => {
    expect(acrossThreads('broken').message).toBe('broken');
  });
});
