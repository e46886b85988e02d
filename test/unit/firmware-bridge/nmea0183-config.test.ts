import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { ConfigError } from '../../../firmware-bridge/errors.js';

const FILE = '/etc/fieldstation/mast-gw.yaml';

function gateway(
  sensors: Record<string, unknown>[],
  protocol: Record<string, unknown> = { type: 'nmea0183' },
) {
  return {
    station: 'xuefeng',
    gateway: 'mast-gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: 'outbox' },
    serialPorts: [
      { id: 'wx', path: '/dev/ttyUSB0', baudRate: 4800, protocol },
      { id: 'drip', path: '/dev/ttyUSB1', protocol: { type: 'value' } },
    ],
    sensors: sensors.map((driver, index) => ({
      id: `s-${index}`,
      quantity: 'q',
      unit: '1',
      intervalMs: 1000,
      driver: { type: 'nmea0183', port: 'wx', ...driver },
    })),
  };
}

function issues(document: unknown): string[] {
  try {
    parseGatewayConfig(document, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected the config to be refused');
}

describe('nmea0183 config', () => {
  it('accepts a selection of each sentence and applies the port defaults', () => {
    const config = parseGatewayConfig(
      gateway([
        { sentence: 'MWV', field: 'windSpeed', reference: 'relative' },
        { sentence: 'MWV', field: 'windSpeed', reference: 'true' },
        { sentence: 'MDA', field: 'pressure', talker: 'WI' },
        { sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'C' },
        { sentence: 'GGA', field: 'latitude' },
        { sentence: 'RMC', field: 'speedOverGround', talker: 'GN' },
      ]),
      FILE,
    );
    expect(config.serialPorts[0]?.protocol).toEqual({
      type: 'nmea0183',
      checksum: 'required',
      maxSentenceLength: 200,
    });
    expect(config.sensors[3]?.driver).toEqual({
      type: 'nmea0183',
      port: 'wx',
      sentence: 'XDR',
      transducer: 'C',
      name: 'TAIR',
      unit: 'C',
    });
  });

  it('refuses an unknown field, naming the ones there are', () => {
    expect(issues(gateway([{ sentence: 'MDA', field: 'temperature' }]))).toEqual([
      `${FILE}: sensors[0].driver.field: Invalid option: expected one of "pressure"|"airTemperature"|"waterTemperature"|"relativeHumidity"|"absoluteHumidity"|"dewPoint"|"windDirectionTrue"|"windDirectionMagnetic"|"windSpeed"`,
    ]);
  });

  it('refuses unknown sentences, a missing MWV reference, keys of another sentence and bad talkers', () => {
    expect(issues(gateway([{ sentence: 'VHW', field: 'speed' }]))[0]).toMatch(
      /sensors\[0\]\.driver\.sentence: .*MWV/,
    );
    expect(issues(gateway([{ sentence: 'MWV', field: 'windSpeed' }]))[0]).toMatch(
      /sensors\[0\]\.driver\.reference/,
    );
    expect(issues(gateway([{ sentence: 'GGA', field: 'latitude', transducer: 'C' }]))[0]).toMatch(
      /Unrecognized key: "transducer"/,
    );
    expect(issues(gateway([{ sentence: 'GGA', field: 'latitude', talker: 'gps' }]))[0]).toMatch(/talker id/);
  });

  it('checks XDR selections letter by letter', () => {
    expect(issues(gateway([{ sentence: 'XDR', transducer: 'temp', name: 'TAIR' }]))[0]).toMatch(/transducer/);
    expect(issues(gateway([{ sentence: 'XDR', transducer: 'C', name: 'T,AIR' }]))[0]).toMatch(/driver\.name/);
    expect(issues(gateway([{ sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'degC' }]))[0]).toMatch(
      /driver\.unit/,
    );
    expect(issues(gateway([{ sentence: 'XDR', name: 'TAIR' }]))[0]).toMatch(/driver\.transducer/);
  });

  it('refuses two sensors reading the same value of the same port', () => {
    const same = { sentence: 'XDR', transducer: 'C', name: 'TAIR' };
    expect(issues(gateway([same, { ...same }]))).toEqual([
      `${FILE}: sensors[1].driver: sensor "s-0" already reads XDR C TAIR on port "wx"`,
    ]);
  });

  it('needs an nmea0183 port, and checks the port protocol', () => {
    const onLinePort = gateway([{ sentence: 'GGA', field: 'altitude' }]);
    (onLinePort.sensors[0]?.driver as { port: string }).port = 'drip';
    expect(issues(onLinePort)[0]).toMatch(
      /port "drip" speaks value; a nmea0183 sensor needs a port with protocol nmea0183/,
    );
    expect(
      issues(
        gateway([{ sentence: 'GGA', field: 'altitude' }], { type: 'nmea0183', maxSentenceLength: 80 }),
      )[0],
    ).toMatch(/serialPorts\[0\]\.protocol\.maxSentenceLength/);
    expect(
      issues(gateway([{ sentence: 'GGA', field: 'altitude' }], { type: 'nmea0183', checksum: 'none' }))[0],
    ).toMatch(/serialPorts\[0\]\.protocol\.checksum/);
  });
});
