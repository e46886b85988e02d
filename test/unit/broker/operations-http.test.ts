import { describe, expect, it } from 'vitest';
import { createCounters } from '../../../broker/broker-stats.js';
import { brokerHealth, type ListenerState } from '../../../broker/operations/health.js';
import { answer, type OperationsEndpoints } from '../../../broker/operations/operations-http.js';
import { sysStatsPayload, sysStatsTopic } from '../../../broker/operations/sys-stats.js';

function endpoints(listeners: ListenerState[]): OperationsEndpoints {
  return {
    metrics: () => 'fieldstation_broker_connections 0\n',
    health: () => brokerHealth({ brokerId: 'b1', listeners, connections: 2, startedAtMs: 0, nowMs: 61_400 }),
  };
}

describe('brokerHealth', () => {
  it('is ok only when there are listeners and all of them listen', () => {
    const up = { name: 'mqtt', listening: true };
    const down = { name: 'tls', listening: false };
    expect(
      brokerHealth({ brokerId: 'b', listeners: [up], connections: 0, startedAtMs: 0, nowMs: 0 }).status,
    ).toBe('ok');
    expect(
      brokerHealth({ brokerId: 'b', listeners: [up, down], connections: 0, startedAtMs: 0, nowMs: 0 }).status,
    ).toBe('unavailable');
    expect(
      brokerHealth({ brokerId: 'b', listeners: [], connections: 0, startedAtMs: 0, nowMs: 0 }).status,
    ).toBe('unavailable');
  });
});

describe('answer', () => {
  it('serves /healthz as JSON, 200 when up and 503 when a listener is down', () => {
    const ok = answer('GET', '/healthz', endpoints([{ name: 'mqtt', listening: true }]));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      status: 'ok',
      brokerId: 'b1',
      listeners: [{ name: 'mqtt', listening: true }],
      connections: 2,
      uptimeSeconds: 61,
    });
    expect(answer('GET', '/healthz?verbose=1', endpoints([{ name: 'mqtt', listening: false }])).status).toBe(
      503,
    );
  });

  it('serves /metrics as Prometheus text, refuses other methods and paths', () => {
    const metrics = answer('HEAD', '/metrics', endpoints([]));
    expect(metrics).toMatchObject({
      status: 200,
      contentType: expect.stringMatching(/^text\/plain; version=0\.0\.4/),
    });
    expect(answer('POST', '/metrics', endpoints([])).status).toBe(405);
    expect(answer('GET', '/', endpoints([])).status).toBe(404);
  });
});

describe('$SYS stats', () => {
  it('is a JSON message on $SYS/<id>/stats with the stats, the rates and the retained count', () => {
    expect(sysStatsTopic('b1')).toBe('$SYS/b1/stats');
    const stats = { connections: 1, keptSessions: 0, ...createCounters(), messagesIn: 9 };
    const payload = sysStatsPayload(
      'b1',
      { stats, rates: { messagesInPerSecond: 1.5, messagesOutPerSecond: 0 }, retained: 2 },
      Date.UTC(2026, 0, 2, 3, 4, 5),
    );
    expect(JSON.parse(payload)).toMatchObject({
      brokerId: 'b1',
      time: '2026-01-02T03:04:05.000Z',
      connections: 1,
      messagesIn: 9,
      messagesInPerSecond: 1.5,
      retained: 2,
    });
  });
});
