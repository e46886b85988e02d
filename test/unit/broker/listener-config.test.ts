import { describe, expect, it } from 'vitest';
import { BrokerConfigSchema } from '../../../broker/config.js';
import {
  TlsListenerConfigSchema,
  WebSocketListenerConfigSchema,
} from '../../../broker/listeners/listener-config.js';
import { selectSubprotocol } from '../../../broker/listeners/websocket-listener.js';

const FILES = { certFile: '/etc/fieldstation/tls/server.crt', keyFile: '/etc/fieldstation/tls/server.key' };

describe('TLS listener config', () => {
  it('defaults to no client certificates', () => {
    expect(TlsListenerConfigSchema.parse({ port: 8883, ...FILES })).toEqual({
      port: 8883,
      ...FILES,
      clientCertificates: 'off',
    });
  });

  it('needs a CA for optional or required client certificates', () => {
    for (const clientCertificates of ['optional', 'required'] as const) {
      const result = TlsListenerConfigSchema.safeParse({ port: 8883, ...FILES, clientCertificates });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['caFile']);
    }
    const withCa = { port: 8883, ...FILES, caFile: '/ca.crt', clientCertificates: 'required' };
    expect(TlsListenerConfigSchema.parse(withCa).clientCertificates).toBe('required');
  });

  it('refuses an unknown mode, a missing key and unknown fields', () => {
    expect(
      TlsListenerConfigSchema.safeParse({ port: 8883, ...FILES, clientCertificates: 'yes' }).success,
    ).toBe(false);
    expect(TlsListenerConfigSchema.safeParse({ port: 8883, certFile: FILES.certFile }).success).toBe(false);
    expect(TlsListenerConfigSchema.safeParse({ port: 8883, ...FILES, cert: 'x' }).success).toBe(false);
  });
});

describe('WebSocket listener config', () => {
  it('serves /mqtt unless told otherwise', () => {
    expect(WebSocketListenerConfigSchema.parse({ port: 8083 })).toEqual({ port: 8083, path: '/mqtt' });
  });

  it('needs a path starting with / and both TLS files or neither', () => {
    expect(WebSocketListenerConfigSchema.safeParse({ port: 8083, path: 'mqtt' }).success).toBe(false);
    const halfTls = WebSocketListenerConfigSchema.safeParse({ port: 8083, certFile: FILES.certFile });
    expect(halfTls.error?.issues[0]?.path).toEqual(['keyFile']);
    expect(WebSocketListenerConfigSchema.parse({ port: 8083, ...FILES })).toMatchObject(FILES);
  });

  it('selects the mqtt subprotocol, or mqttv3.1 for MQTT 3.1 clients', () => {
    expect(selectSubprotocol(new Set(['mqtt']))).toBe('mqtt');
    expect(selectSubprotocol(new Set(['mqttv3.1', 'mqtt']))).toBe('mqtt');
    expect(selectSubprotocol(new Set(['mqttv3.1']))).toBe('mqttv3.1');
    expect(selectSubprotocol(new Set(['chat']))).toBe(false);
  });
});

describe('broker config with listeners', () => {
  it('has only plain TCP unless TLS or WebSocket are configured', () => {
    const config = BrokerConfigSchema.parse({ credentialsFile: '/data/accounts.json' });
    expect(config.tls).toBeUndefined();
    expect(config.websocket).toBeUndefined();
  });

  it('takes both listeners and names the path of a mistake inside them', () => {
    const config = BrokerConfigSchema.parse({
      credentialsFile: '/data/accounts.json',
      tls: { port: 8883, ...FILES },
      websocket: { port: 8083 },
    });
    expect(config.websocket?.path).toBe('/mqtt');
    const broken = BrokerConfigSchema.safeParse({
      credentialsFile: '/data/accounts.json',
      tls: { port: 8883, ...FILES, clientCertificates: 'optional' },
    });
    expect(broken.error?.issues[0]?.path).toEqual(['tls', 'caFile']);
  });
});
