import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../notify/index.js';
import { notificationId, renderEmail, webhookPayload } from '../../../notify/index.js';
import { event, T0 } from './fixtures.js';

function notification(reason: Notification['reason'], overrides: Partial<Notification> = {}): Notification {
  const key = {
    station: 'xuefeng',
    rule: 'conductor-icing',
    since: T0,
    reason,
    n: 0,
    contact: 'ana',
    channel: 'email',
    route: 'oncall',
  } as const;
  return { ...key, id: notificationId(key), plannedAt: T0, event: event(), ...overrides };
}

describe('rendered notifications', () => {
  it('state station, rule, severity and state in the subject, and what, where, since, value and ack in the body', () => {
    const email = renderEmail(notification('firing'), 'https://station.example.org');
    expect(email.subject).toBe('[CRITICAL] xuefeng conductor-icing firing: ice load 12 kg/m above 10');
    expect(email.text).toContain('Station:     xuefeng');
    expect(email.text).toContain(`Since:       ${new Date(T0).toISOString()}`);
    expect(email.text).toContain('Value:       12 kg/m (above 10 kg/m)');
    expect(email.text).toContain('POST https://station.example.org/v1/alerts/xuefeng/conductor-icing/ack');
    expect(email.html).toContain('<th align="left">Sensor</th><td>load-1</td>');
  });

  it('says "cleared" on clear and "still firing" on a repeat, and escapes HTML', () => {
    expect(renderEmail(notification('clear'), undefined).subject).toContain('conductor-icing cleared:');
    expect(renderEmail(notification('repeat', { n: 2 }), undefined).subject).toContain('still firing:');
    const html = renderEmail(
      notification('firing', { event: event({ message: '<b>ice</b>' }) }),
      undefined,
    ).html;
    expect(html).not.toContain('<b>ice</b>');
  });

  it('sends webhooks in the Standard Webhooks shape with the ack URL', () => {
    const payload = webhookPayload(notification('escalation', { n: 1, grouped: 3 }), undefined, T0) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(payload.type).toBe('fieldstation.alert.escalation');
    expect(payload.data).toMatchObject({
      station: 'xuefeng',
      n: 1,
      grouped: 3,
      ackUrl: '/v1/alerts/xuefeng/conductor-icing/ack',
    });
  });
});
