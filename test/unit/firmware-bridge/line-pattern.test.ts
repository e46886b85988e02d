import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import {
  nestedRepetition,
  patternGroups,
} from '../../../firmware-bridge/drivers/serial-line/line-pattern.js';
import type { ConfigError } from '../../../firmware-bridge/errors.js';

const FILE = '/etc/fieldstation/gw.yaml';

function config(protocol: Record<string, unknown>, sensors = 1) {
  return {
    station: 'jinfo',
    gateway: 'cave-gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: 'outbox' },
    serialPorts: [{ id: 'usb0', path: '/dev/ttyUSB0', protocol }],
    sensors: Array.from({ length: sensors }, (_, i) => ({
      id: `s-${i}`,
      quantity: 'q',
      unit: '1',
      intervalMs: 1000,
      driver: { type: 'serial-line', port: 'usb0', channel: `c${i}` },
    })),
  };
}

function issues(protocol: Record<string, unknown>, sensors = 1): string[] {
  try {
    parseGatewayConfig(config(protocol, sensors), FILE);
    return [];
  } catch (error) {
    return [...(error as ConfigError).issues];
  }
}

describe('regex line format: config checks', () => {
  it('accepts a pattern with a value group, defaults flags, and a checksum on any format', () => {
    const parsed = parseGatewayConfig(
      config({ type: 'regex', pattern: '^(?<value>\\d+)$', checksum: 'nmea' }),
      FILE,
    );
    expect(parsed.serialPorts[0]?.protocol).toEqual({
      type: 'regex',
      pattern: '^(?<value>\\d+)$',
      flags: '',
      checksum: 'nmea',
    });
    expect(issues({ type: 'kv', checksum: 'nmea' })).toEqual([]);
    expect(issues({ type: 'value', checksum: 'crc16' })[0]).toMatch(/serialPorts\[0\]\.protocol\.checksum/);
  });

  it('says why a pattern is refused', () => {
    const at = `${FILE}: serialPorts[0].protocol.pattern:`;
    expect(issues({ type: 'regex', pattern: '(?<value>\\d+' })).toEqual([
      expect.stringMatching(new RegExp(`^${at.replace(/[[\].]/g, '\\$&')} pattern does not compile: .*`)),
    ]);
    expect(issues({ type: 'regex', pattern: '^(\\d+)$' })).toEqual([
      `${at} expected a named group (?<value>...) for the value`,
    ]);
    expect(issues({ type: 'regex', pattern: '^(?<chanel>\\w+)=(?<value>\\d+)$' })).toEqual([
      `${at} unknown named group(s) "chanel": expected channel, value or time`,
    ]);
    expect(issues({ type: 'regex', pattern: '^(?<value>(\\d+)*)$' })[0]).toMatch(
      /"\(\\d\+\)\*" repeats a group/,
    );
    expect(issues({ type: 'regex', pattern: '(?<value>\\d+)', flags: 'g' })[0]).toMatch(/flags/);
    expect(issues({ type: 'regex', pattern: 'x'.repeat(257) })[0]).toMatch(/pattern/);
  });

  it('lets a port carry several sensors only when the pattern has a channel group', () => {
    expect(issues({ type: 'regex', pattern: '^(?<channel>\\w+)=(?<value>\\S+)$' }, 2)).toEqual([]);
    expect(issues({ type: 'regex', pattern: '^(?<value>\\S+)$' }, 2)).toEqual([
      `${FILE}: sensors[1].driver.port: port "usb0" has no channel key in its lines, so it can carry only one sensor`,
    ]);
  });
});

describe('pattern analysis', () => {
  it('lists named groups, matched or not', () => {
    expect(patternGroups(/^(?<channel>\w+)?=(?<value>\d+)(?<time>@\S+)?$/).sort()).toEqual([
      'channel',
      'time',
      'value',
    ]);
    expect(patternGroups(/^(\d+)$/)).toEqual([]);
  });

  it('finds a repeated group that repeats inside', () => {
    expect(nestedRepetition('(a+)+')).toBe('(a+)+');
    expect(nestedRepetition('^(?<value>(\\d+,)*\\d+)$')).toBe('(\\d+,)*');
    expect(nestedRepetition('((ab)*c){2,}')).toBe('((ab)*c){2,}');
    expect(nestedRepetition('(?:x(?:y+))*')).toBe('(?:x(?:y+))*');
  });

  it('passes flat patterns, classes and escapes that only look like nesting', () => {
    for (const safe of [
      '^(?<value>[-+.\\d]+)$',
      '(\\d+)?',
      '(a+){1}',
      '(a+){0,1}',
      '[(a+)]+',
      '\\(a+\\)+',
      '(a)+(b+)',
      '^0R2,Ta=(?<value>[-+.\\d]+)C,',
    ]) {
      expect(nestedRepetition(safe), safe).toBeUndefined();
    }
  });
});
