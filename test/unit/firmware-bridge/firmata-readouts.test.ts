import { describe, expect, it } from 'vitest';
import { GatewayConfigSchema } from '../../../firmware-bridge/config/schema.js';
import { analogReadout, chipReadout } from '../../../firmware-bridge/drivers/firmata/readouts.js';
import { planSensors } from '../../../firmware-bridge/drivers/firmata/sensor-plan.js';

const pin = { pin: 'A0', value: 512, resolution: 1023, sinceMs: 0, lastAtMs: 900 };

describe('firmata readouts', () => {
  it('gives raw counts, or volts against the reference voltage', () => {
    expect(analogReadout(pin, { id: 's' }, 1000, 500)).toEqual({ kind: 'sample', value: 512 });
    expect(analogReadout({ ...pin, value: 1023 }, { id: 's', aref: 3.3 }, 1000, 500)).toEqual({
      kind: 'sample',
      value: 3.3,
    });
  });

  it('waits out the grace period, then calls a quiet pin stale', () => {
    const quiet = { ...pin, value: null, lastAtMs: undefined };
    expect(analogReadout(quiet, { id: 's' }, 400, 500)).toEqual({ kind: 'none' });
    expect(analogReadout(quiet, { id: 's' }, 600, 500)).toMatchObject({
      kind: 'fault',
      code: 'FIRMATA_STALE',
    });
    expect(analogReadout(pin, { id: 's' }, 1500, 500)).toMatchObject({
      kind: 'fault',
      code: 'FIRMATA_STALE',
    });
  });

  it('refuses a value beyond the ADC', () => {
    expect(analogReadout({ ...pin, value: 16383 }, { id: 's' }, 1000, 500)).toMatchObject({
      kind: 'fault',
      code: 'FIRMATA_VALUE_INVALID',
    });
  });

  it('refuses volts from an ADC the board reports with 0 bits, rather than giving NaN', () => {
    const zeroBits = { ...pin, value: 0, resolution: 0 };
    expect(analogReadout(zeroBits, { id: 's' }, 1000, 500)).toEqual({ kind: 'sample', value: 0 });
    expect(analogReadout(zeroBits, { id: 's', aref: 5 }, 1000, 500)).toMatchObject({
      kind: 'fault',
      code: 'FIRMATA_VALUE_INVALID',
    });
  });

  it('picks a BME280 field, pressure in hPa', () => {
    const state = {
      label: 'BME280 at 0x76',
      sinceMs: 0,
      lastAtMs: 900,
      reading: { celsius: 21.37, relativeHumidity: 47.498, pressureKpa: 101.32512 },
    };
    expect(chipReadout(state, 'temperature', 1000, 500)).toEqual({ kind: 'sample', value: 21.37 });
    expect(chipReadout(state, 'humidity', 1000, 500)).toEqual({ kind: 'sample', value: 47.498 });
    expect(chipReadout(state, 'pressure', 1000, 500)).toEqual({ kind: 'sample', value: 1013.2512 });
    const broken = { ...state, reading: { ...state.reading, relativeHumidity: Number.NaN } };
    expect(chipReadout(broken, 'humidity', 1000, 500)).toMatchObject({ code: 'FIRMATA_VALUE_INVALID' });
  });
});

describe('firmata config', () => {
  const base = {
    station: 'jinfo',
    gateway: 'gw',
    mqtt: { url: 'mqtt://localhost' },
    outbox: { dir: 'o' },
    serialPorts: [{ id: 'uno', path: '/dev/ttyACM0', baudRate: 57600, protocol: { type: 'firmata' } }],
  };
  const sensor = (id: string, driver: object) => ({
    id,
    quantity: 'q',
    unit: '1',
    intervalMs: 1000,
    driver: { type: 'firmata', port: 'uno', ...driver },
  });

  it('parses pins and BME280 fields, groups them by pin and chip', () => {
    const config = GatewayConfigSchema.parse({
      ...base,
      sensors: [
        sensor('a', { kind: 'analog', pin: 'A0' }),
        sensor('b', { kind: 'analog', pin: 'A0', aref: 5 }),
        sensor('t', { kind: 'bme280', field: 'temperature' }),
        sensor('p', { kind: 'bme280', address: 0x76, field: 'pressure' }),
      ],
    });
    expect(config.serialPorts[0]?.protocol).toEqual({
      type: 'firmata',
      samplingIntervalMs: 100,
      bootDelayMs: 2000,
      replyTimeoutMs: 5000,
    });
    const plan = planSensors(config.sensors as Parameters<typeof planSensors>[0], 0.001);
    expect(plan.pins).toEqual([{ pin: 'A0', channel: 0, sensors: [{ id: 'a' }, { id: 'b', aref: 5 }] }]);
    expect(plan.chips).toEqual([
      {
        address: 0x76,
        sensors: [
          { id: 't', field: 'temperature' },
          { id: 'p', field: 'pressure' },
        ],
      },
    ]);
    expect(plan.periods[0]).toEqual({ id: 'a', periodMs: 50 });
  });

  const issues = (input: object) =>
    (GatewayConfigSchema.safeParse(input).error?.issues ?? [])
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('\n');

  it('names what is wrong: a pin that is not analog, a field it does not know', () => {
    const messages = issues({
      ...base,
      sensors: [
        sensor('a', { kind: 'analog', pin: 'D3' }),
        sensor('b', { kind: 'bme280', field: 'dewpoint' }),
      ],
    });
    expect(messages).toContain('sensors.0.driver.pin: must be an analog pin name');
    expect(messages).toContain('sensors.1.driver.field');
  });

  it('refuses a firmata sensor on a port that speaks another protocol', () => {
    const messages = issues({
      ...base,
      serialPorts: [...base.serialPorts, { id: 'gps', path: '/dev/ttyUSB0', protocol: { type: 'nmea0183' } }],
      sensors: [sensor('c', { kind: 'analog', pin: 'A1', port: 'gps' })],
    });
    expect(messages).toContain('a firmata sensor needs a port with protocol firmata');
  });
});
