import { describe, expect, it } from 'vitest';
import { type BrokerStats, createCounters } from '../../../broker/broker-stats.js';
import { brokerMetricFamilies, brokerStatFamilies } from '../../../broker/operations/broker-families.js';
import { renderExposition } from '../../../metrics/index.js';

const stats: BrokerStats = {
  connections: 3,
  keptSessions: 1,
  ...createCounters(),
  publishDenied: 2,
  oversized: 1,
  messagesIn: 40,
  messagesOut: 80,
};

function byName(families: ReturnType<typeof brokerStatFamilies>) {
  return new Map(families.map((family) => [family.name, family]));
}

describe('brokerStatFamilies', () => {
  it('keeps the names `fieldstation up` has always exposed', () => {
    const families = byName(brokerStatFamilies(stats));
    expect(families.get('fieldstation_broker_connections')).toMatchObject({
      type: 'gauge',
      samples: [{ value: 3 }],
    });
    expect(families.get('fieldstation_broker_kept_sessions')?.type).toBe('gauge');
    expect(families.get('fieldstation_broker_publish_denied_total')).toMatchObject({
      type: 'counter',
      samples: [{ value: 2 }],
    });
    expect(families.get('fieldstation_broker_oversized_packets_total')?.samples).toEqual([{ value: 1 }]);
    for (const name of ['auth_failures', 'client_id_refused', 'subscribe_denied', 'retain_cleared']) {
      expect(families.get(`fieldstation_broker_${name}_total`)?.type).toBe('counter');
    }
    expect(families.get('fieldstation_broker_messages_in_total')?.samples).toEqual([{ value: 40 }]);
    expect(families.get('fieldstation_broker_messages_out_total')?.samples).toEqual([{ value: 80 }]);
  });

  it('describes every field BrokerStats has today (a field added without a description fails here)', () => {
    for (const family of brokerStatFamilies(stats)) {
      expect(family.help, family.name).not.toMatch(/^BrokerServer\.stats\(\)/);
    }
  });

  it('exposes a field it does not know: a counter when the hooks count it, else a gauge', () => {
    const extended = { ...stats, queueDepth: 7 } as unknown as BrokerStats;
    const family = byName(brokerStatFamilies(extended)).get('fieldstation_broker_queue_depth');
    expect(family).toEqual({
      name: 'fieldstation_broker_queue_depth',
      type: 'gauge',
      help: 'BrokerServer.stats().queueDepth',
      samples: [{ value: 7 }],
    });
  });

  it('turns numbers by key into one family with a kind label, and skips what is not numeric', () => {
    const extended = { ...stats, denials: { auth: 2, topic: 5 }, note: 'x' } as unknown as BrokerStats;
    const families = byName(brokerStatFamilies(extended));
    expect(families.get('fieldstation_broker_denials')?.samples).toEqual([
      { labels: { kind: 'auth' }, value: 2 },
      { labels: { kind: 'topic' }, value: 5 },
    ]);
    expect([...families.keys()].some((name) => name.includes('note'))).toBe(false);
    const limits = families.get('fieldstation_broker_limit_hits_total');
    expect(limits?.type).toBe('counter');
    expect(limits?.samples).toContainEqual({ labels: { kind: 'connectionRate' }, value: 0 });
  });
});

describe('brokerMetricFamilies', () => {
  it('adds the rates, and the retained count once it is known, in valid exposition text', () => {
    const rates = { messagesInPerSecond: 12.5, messagesOutPerSecond: 25 };
    const without = renderExposition(brokerMetricFamilies({ stats, rates, retained: undefined }));
    expect(without).toContain('fieldstation_broker_messages_in_per_second 12.5\n');
    expect(without).toContain('# TYPE fieldstation_broker_messages_out_per_second gauge\n');
    expect(without).not.toContain('retained_messages');
    const text = renderExposition(brokerMetricFamilies({ stats, rates, retained: 4 }));
    expect(text).toContain('fieldstation_broker_retained_messages 4\n');
  });
});
