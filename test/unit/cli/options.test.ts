import { describe, expect, it } from 'vitest';
import {
  formatHelp,
  millisecondsOption,
  type OptionSpec,
  parseCommandLine,
  UsageError,
} from '../../../cli/options.js';

const SPECS: readonly OptionSpec[] = [
  { flag: 'http-port', env: 'FS_HTTP_PORT', kind: 'port', default: '8080', description: 'HTTP port' },
  { flag: 'influx-url', env: 'FS_INFLUX_URL', kind: 'string', description: 'InfluxDB URL' },
  { flag: 'simulate', kind: 'boolean', description: 'add simulated gateways' },
  { flag: 'timeout', env: 'FS_TIMEOUT', kind: 'seconds', default: '60', description: 'how long to wait' },
  { flag: 'publish', kind: 'strings', description: 'a filter; repeatable' },
];

describe('command-line options', () => {
  it('takes flags over environment variables over defaults', () => {
    expect(parseCommandLine(SPECS, [], {}).values).toEqual({ 'http-port': 8080, timeout: 60 });
    expect(parseCommandLine(SPECS, [], { FS_HTTP_PORT: '9000' }).values['http-port']).toBe(9000);
    expect(
      parseCommandLine(SPECS, ['--http-port', '9100'], { FS_HTTP_PORT: '9000' }).values['http-port'],
    ).toBe(9100);
  });

  it('treats an empty environment variable as unset', () => {
    expect(parseCommandLine(SPECS, [], { FS_INFLUX_URL: '' }).values['influx-url']).toBeUndefined();
  });

  it('names the variable that holds a bad port', () => {
    expect(() => parseCommandLine(SPECS, [], { FS_HTTP_PORT: 'eighty' })).toThrow(
      /FS_HTTP_PORT must be a TCP port/,
    );
    expect(() => parseCommandLine(SPECS, ['--http-port', '70000'], {})).toThrow(/--http-port/);
  });

  it('reads seconds, fractions too, and hands them on in milliseconds', () => {
    const { values } = parseCommandLine(SPECS, ['--timeout', '2.5'], {});
    expect(values.timeout).toBe(2.5);
    expect(millisecondsOption(values, 'timeout')).toBe(2500);
    expect(parseCommandLine(SPECS, [], { FS_TIMEOUT: '3' }).values.timeout).toBe(3);
  });

  it('names the variable that holds a duration that is not a positive number of seconds', () => {
    for (const bad of ['0', '-1', 'soon', '1m', ' ']) {
      expect(() => parseCommandLine(SPECS, [], { FS_TIMEOUT: bad })).toThrow(
        /FS_TIMEOUT must be a positive number of seconds/,
      );
    }
  });

  it('collects a repeatable option in the order given, and leaves it unset when absent', () => {
    const parsed = parseCommandLine(SPECS, ['--publish', 'a/#', '--publish', 'b/+', '--publish', 'a/#'], {});
    expect(parsed.values.publish).toEqual(['a/#', 'b/+', 'a/#']);
    expect(parseCommandLine(SPECS, [], {}).values.publish).toBeUndefined();
  });

  it('refuses unknown flags as a usage error', () => {
    expect(() => parseCommandLine(SPECS, ['--htp-port', '1'], {})).toThrow(UsageError);
  });

  it('reads booleans, positionals and --help', () => {
    const parsed = parseCommandLine(SPECS, ['add', '--simulate', '-h'], {});
    expect(parsed).toMatchObject({ positionals: ['add'], help: true, values: { simulate: true } });
  });

  it('lists every flag with its environment variable and default in the help', () => {
    const help = formatHelp('fieldstation api', 'Serves the API.', SPECS);
    expect(help).toMatch(/--http-port VALUE\s+FS_HTTP_PORT\s+HTTP port \(default: 8080\)/);
    expect(help).toContain('--simulate');
  });
});
