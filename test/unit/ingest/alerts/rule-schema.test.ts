import { describe, expect, it } from 'vitest';
import { AlertRulesError, parseAlertRules } from '../../../../ingest/alerts/load-rules.js';

function issuesOf(text: string): readonly string[] {
  try {
    parseAlertRules(text, 'alerts.yaml');
  } catch (error) {
    if (error instanceof AlertRulesError) return error.issues;
    throw error;
  }
  throw new Error('expected the rules to be refused');
}

describe('rule kinds in the rules file', () => {
  it('reads durations as strings or ms and applies each kind’s defaults', () => {
    const rules = parseAlertRules(
      `rules:
  - { id: a, station: jinfo, quantity: co2, op: above, threshold: 1, for: 5m }
  - { id: b, kind: rate, station: jinfo, sensor: s, op: above, threshold: 1, window: 90s }
  - { id: c, kind: deadman, station: jinfo, quantity: co2, after: 1500 }
  - { id: d, kind: gateway-offline, station: jinfo }
  - { id: e, kind: forecast, station: xuefeng, quantity: ice-thickness, limit: 20, within: 6h, window: 2h }
  - { id: f, kind: composite, station: xuefeng, all: [{ sensor: t, op: below, threshold: 0 }], for: 0.5h }
`,
      'alerts.yaml',
    );
    expect(rules.map((rule) => rule.kind)).toEqual([
      'threshold',
      'rate',
      'deadman',
      'gateway-offline',
      'forecast',
      'composite',
    ]);
    expect(rules[0]).toMatchObject({ for: 300_000, clearAt: 1 });
    expect(rules[1]).toMatchObject({ window: 90_000, per: 'h', clearAt: 1 });
    expect(rules[2]).toMatchObject({ after: 1500, missed: 3 });
    expect(rules[3]).toMatchObject({ after: 600_000 });
    expect(rules[4]).toMatchObject({ op: 'above', within: 21_600_000, clearWithin: 32_400_000 });
    expect(rules[5]).toMatchObject({ for: 1_800_000, all: [{ clearAt: 0 }] });
  });

  it('names file, path and expectation for a wrong duration, an unknown kind and a stray key', () => {
    expect(
      issuesOf(
        'rules:\n  - { id: a, station: jinfo, quantity: co2, op: above, threshold: 1, for: 5 minutes }\n',
      ),
    ).toEqual([expect.stringMatching(/^rules\.0\.for: .*duration such as "30s"/)]);
    expect(issuesOf('rules:\n  - { id: a, kind: sometimes, station: jinfo }\n')[0]).toMatch(
      /^rules\.0\.kind: /,
    );
    expect(
      issuesOf('rules:\n  - { id: a, kind: deadman, station: jinfo, sensor: s, window: 1h }\n')[0],
    ).toMatch(/^rules\.0: .*window/);
  });

  it('refuses a duration over a year, and one of so many digits that it reads as Infinity', () => {
    for (const duration of [`${'9'.repeat(400)}d`, '367d', '100000h', String(400 * 86_400_000)]) {
      expect(
        issuesOf(
          `rules:\n  - { id: a, station: jinfo, quantity: co2, op: above, threshold: 1, for: ${duration} }\n`,
        ),
        duration,
      ).toEqual([expect.stringMatching(/^rules\.0\.for: .*at most 366d/)]);
    }
    expect(
      issuesOf(
        'rules:\n  - { id: a, kind: rate, station: jinfo, sensor: s, op: above, threshold: 1, window: 1000d }\n',
      ),
    ).toEqual([expect.stringMatching(/^rules\.0\.window: /)]);
    expect(
      parseAlertRules(
        'rules:\n  - { id: a, kind: deadman, station: jinfo, sensor: s, after: 366d }\n',
        'a.yaml',
      ),
    ).toHaveLength(1);
  });

  it('checks each composite condition and the forecast hysteresis', () => {
    const issues = issuesOf(
      `rules:
  - { id: f, kind: composite, station: x, all: [{ op: below, threshold: 0 }, { sensor: rh, op: above, threshold: 90, clearAt: 95 }] }
  - { id: g, kind: forecast, station: x, sensor: s, limit: 20, within: 6h, clearWithin: 1h, window: 2h }
`,
    );
    expect(issues).toEqual([
      'rules.0.all.0.sensor: give exactly one of "sensor" or "quantity"',
      'rules.0.all.1.clearAt: must be at or below the threshold 90',
      expect.stringMatching(/^rules\.1\.clearWithin: must be at least within/),
    ]);
  });
});
