import { describe, expect, it } from 'vitest';
import { identifierRejected } from '../../../broker/conformance/client-id-rules.js';

describe('identifierRejected', () => {
  it('rejects a zero-length id with clean session off [MQTT-3.1.3-8]', () => {
    expect(identifierRejected({ clientId: '', clean: false, protocolVersion: 4 })).toBe(true);
  });

  it('accepts a zero-length id with clean session on [MQTT-3.1.3-6]', () => {
    expect(identifierRejected({ clientId: '', clean: true, protocolVersion: 4 })).toBe(false);
  });

  it('rejects a zero-length id under MQTT 3.1, which required one', () => {
    expect(identifierRejected({ clientId: '', clean: true, protocolVersion: 3 })).toBe(true);
  });

  it('leaves non-empty ids alone', () => {
    expect(identifierRejected({ clientId: 'fs-ingest', clean: false, protocolVersion: 4 })).toBe(false);
  });
});
