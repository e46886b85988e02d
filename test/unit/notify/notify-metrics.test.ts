import { describe, expect, it } from 'vitest';
import { notifyMetricsSource } from '../../../cli/metrics-sources.js';
import { renderExposition } from '../../../metrics/index.js';
import type { NotifyStats } from '../../../notify/index.js';

const stats: NotifyStats = {
  deliveries: { email: { sent: 3, retrying: 1, failed: 0 }, webhook: { sent: 2, retrying: 4, failed: 1 } },
  planned: { firing: 2, clear: 1, repeat: 3, escalation: 1 },
  pending: 1,
  retrying: 2,
  sending: 0,
  messages: 9,
  invalidMessages: 1,
  journalFailures: 3,
  planningPasses: 100,
  subscriberReloads: 1,
  subscriberReloadsRejected: 2,
};

describe('notify metrics', () => {
  it('counts deliveries per channel and outcome and shows what waits to be sent', async () => {
    const text = renderExposition(await notifyMetricsSource({ stats: () => stats }).collect());
    expect(text).toContain('fieldstation_notify_deliveries_total{channel="webhook",outcome="retrying"} 4');
    expect(text).toContain('fieldstation_notify_deliveries_total{channel="email",outcome="sent"} 3');
    expect(text).toContain('fieldstation_notify_planned_total{reason="repeat"} 3');
    expect(text).toContain('fieldstation_notify_pending 1');
    expect(text).toContain('fieldstation_notify_retrying 2');
    expect(text).toContain('fieldstation_notify_subscriber_reloads_rejected_total 2');
    expect(text).toContain('fieldstation_notify_journal_failures_total 3');
  });
});
