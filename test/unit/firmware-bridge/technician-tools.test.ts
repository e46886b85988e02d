import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SensorTally } from '../../../firmware-bridge/check/sensor-tally.js';
import type { SensorConfig } from '../../../firmware-bridge/config/schema.js';
import { listSysfsPorts } from '../../../firmware-bridge/ports/sysfs-ports.js';
import { gatewayUnitName, renderGatewayUnit } from '../../../firmware-bridge/service/systemd-unit.js';

const sensor = (id: string): SensorConfig => ({
  id,
  quantity: 'air-temperature',
  unit: 'Cel',
  intervalMs: 60000,
  driver: { type: 'serial-line', port: 'met' },
});

const reading = (id: string, value: number, qc: 1 | 2 | 3 | 4) => ({
  sensor: id,
  quantity: 'air-temperature',
  unit: 'Cel',
  value,
  time: Date.UTC(2026, 10, 27),
  qc,
});

describe('SensorTally', () => {
  it('fails a silent sensor, one with errors and one whose last value failed QC; flags suspect', () => {
    const tally = new SensorTally(['ok', 'silent', 'flaky', 'broken', 'odd', 'dead'].map(sensor));
    tally.reading(reading('ok', 1, 1));
    tally.reading(reading('flaky', 2, 1));
    tally.error(['flaky'], 'LINE_FIELDS: expected key=value');
    tally.reading(reading('broken', 99, 4));
    tally.reading(reading('odd', 40, 3));
    tally.error(['dead'], 'SERIAL_OPEN_FAILED: cannot open /dev/ttyUSB9');
    expect(tally.complete(1)).toBe(false);
    const report = Object.fromEntries(tally.report(30_000).map((line) => [line.sensor, line]));
    expect(report.ok).toMatchObject({ status: 'ok', samples: 1, value: 1, qc: 1 });
    expect(report.silent).toMatchObject({ status: 'fail', problem: 'no reading within 30 s' });
    expect(report.flaky).toMatchObject({
      status: 'fail',
      problem: '1 error(s), last: LINE_FIELDS: expected key=value',
    });
    expect(report.broken).toMatchObject({ status: 'fail', problem: expect.stringContaining('failed QC') });
    expect(report.odd).toMatchObject({ status: 'suspect' });
    expect(report.dead).toMatchObject({
      status: 'fail',
      problem: 'SERIAL_OPEN_FAILED: cannot open /dev/ttyUSB9',
    });
  });

  it('is complete once every sensor has the wanted number of readings', () => {
    const tally = new SensorTally([sensor('a'), sensor('b')]);
    tally.reading(reading('a', 1, 1));
    tally.reading(reading('a', 1, 1));
    tally.reading(reading('b', 1, 1));
    expect(tally.complete(2)).toBe(false);
    tally.reading(reading('b', 1, 1));
    expect(tally.complete(2)).toBe(true);
  });
});

describe('renderGatewayUnit', () => {
  it('restarts forever, runs unprivileged with dialout, and quotes the command for systemd', () => {
    const unit = renderGatewayUnit({
      station: 'jinfo',
      gateway: 'cave-gw-1',
      configPath: '/etc/fieldstation/my gw%1.yaml',
      node: '/usr/bin/node',
      entry: '/opt/fieldstation/dist/gateway/main.js',
      user: 'fieldstation',
      writablePaths: ['/var/lib/fieldstation/outbox'],
    });
    expect(gatewayUnitName('jinfo', 'cave-gw-1')).toBe('fieldstation-gateway-jinfo-cave-gw-1.service');
    expect(unit).toContain(
      'ExecStart="/usr/bin/node" "--max-semi-space-size=1" "--lite-mode" "--no-expose-wasm" "--gc-global" "/opt/fieldstation/dist/gateway/main.js" "--config" "/etc/fieldstation/my gw%%1.yaml"',
    );
    for (const line of [
      'Restart=always',
      'StartLimitIntervalSec=0',
      'User=fieldstation',
      'SupplementaryGroups=dialout',
    ]) {
      expect(unit).toContain(`${line}\n`);
    }
    expect(unit).toContain('ReadWritePaths=/var/lib/fieldstation/outbox\n');
    expect(unit).toMatch(/\[Install\]\nWantedBy=multi-user\.target\n$/);
  });
});

describe('listSysfsPorts', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-sysfs-'));
    const sys = join(root, 'sys');
    const usb = join(sys, 'devices', 'usb1', '1-1');
    await mkdir(join(usb, '1-1:1.0', 'ttyUSB0'), { recursive: true });
    for (const [file, text] of Object.entries({
      idVendor: '0403\n',
      idProduct: '6001\n',
      serial: 'A10K4ZQ1\n',
      manufacturer: 'FTDI\n',
      product: 'FT232R USB UART\n',
    })) {
      await writeFile(join(usb, file), text);
    }
    const uart = join(sys, 'devices', 'platform', 'serial8250');
    await mkdir(uart, { recursive: true });
    const ttys = join(sys, 'class', 'tty');
    for (const name of ['ttyUSB0', 'ttyS0', 'ttyS1', 'tty1'])
      await mkdir(join(ttys, name), { recursive: true });
    await symlink(join(usb, '1-1:1.0'), join(ttys, 'ttyUSB0', 'device'));
    await symlink(uart, join(ttys, 'ttyS0', 'device'));
    await writeFile(join(ttys, 'ttyS0', 'type'), '4\n');
    await symlink(uart, join(ttys, 'ttyS1', 'device'));
    await writeFile(join(ttys, 'ttyS1', 'type'), '0\n');
    const dev = join(root, 'dev');
    await mkdir(join(dev, 'serial', 'by-id'), { recursive: true });
    await writeFile(join(dev, 'ttyUSB0'), '');
    await symlink(join(dev, 'ttyUSB0'), join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R_A10K4ZQ1-if00-port0'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists USB adapters with ids, serial and by-id name, real UARTs, and skips empty UART slots', async () => {
    const ports = await listSysfsPorts({ sys: join(root, 'sys'), dev: join(root, 'dev') });
    expect(ports).toEqual([
      { path: join(root, 'dev', 'ttyS0') },
      {
        path: join(root, 'dev', 'ttyUSB0'),
        byId: join(root, 'dev', 'serial', 'by-id', 'usb-FTDI_FT232R_A10K4ZQ1-if00-port0'),
        vendorId: '0403',
        productId: '6001',
        serialNumber: 'A10K4ZQ1',
        manufacturer: 'FTDI',
        product: 'FT232R USB UART',
      },
    ]);
  });
});
