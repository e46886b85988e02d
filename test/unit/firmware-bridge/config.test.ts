import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssuePath, loadGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { ConfigError } from '../../../firmware-bridge/errors.js';

const CONFIG_DIR = join(import.meta.dirname, '../../../config');

async function configFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? configFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    ),
  );
  return nested.flat();
}

/** Gateway configs: `config/*-gw.*` and everything in `config/simulate/` (other components keep theirs in config/ too). */
async function gatewayConfigFiles(): Promise<string[]> {
  const files = await configFiles(CONFIG_DIR);
  return files.filter((file) => /(-gw|\/simulate\/[^/]+)\.(ya?ml|json)$/.test(file));
}

interface SensorDoc {
  id: string;
  quantity: string;
  unit: string;
  intervalMs: number;
  range?: Record<string, number>;
  driver: Record<string, unknown>;
  qc?: Record<string, unknown>;
}

interface Doc {
  station: string;
  gateway: string;
  mqtt: Record<string, string>;
  outbox: Record<string, string>;
  serialPorts: { id: string; path: string; protocol: Record<string, unknown> }[];
  sensors: SensorDoc[];
  [key: string]: unknown;
}

const VALID: Doc = {
  station: 'jinfo',
  gateway: 'cave-gw-1',
  mqtt: { url: 'mqtt://127.0.0.1:1883' },
  outbox: { dir: 'outbox' },
  serialPorts: [{ id: 'usb0', path: '/dev/ttyUSB0', protocol: { type: 'kv' } }],
  sensors: [
    {
      id: 'cave-co2-1',
      quantity: 'co2',
      unit: '[ppm]',
      intervalMs: 60000,
      driver: { type: 'serial-line', port: 'usb0' },
    },
  ],
};

describe('loadGatewayConfig', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, content: unknown): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  async function failure(name: string, content: unknown): Promise<ConfigError> {
    const error = await loadGatewayConfig(await write(name, content)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }

  function mutate(change: (doc: Doc) => void): Doc {
    const doc = structuredClone(VALID);
    change(doc);
    return doc;
  }

  it('validates every gateway config shipped in config/', async () => {
    const files = await gatewayConfigFiles();
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const config = await loadGatewayConfig(file);
      expect(config.sensors.length, file).toBeGreaterThan(0);
    }
  });

  // A simulation re-issues its gateways' passwords: sharing a real gateway's id would lock it out.
  it('gives simulated gateways ids of their own, never those of the reference gateways', async () => {
    const ids = async (files: string[]) =>
      Promise.all(
        files.map(async (file) => {
          const config = await loadGatewayConfig(file);
          return `${config.station}/${config.gateway}`;
        }),
      );
    const files = await gatewayConfigFiles();
    const simulated = await ids(files.filter((file) => file.includes('/simulate/')));
    const real = await ids(files.filter((file) => !file.includes('/simulate/')));
    expect(simulated.sort()).toEqual(['jinfo/sim-cave-gw-1', 'xuefeng/sim-line-gw-1']);
    expect(real).toEqual(expect.arrayContaining(['jinfo/cave-gw-1', 'xuefeng/line-gw-1']));
    expect(simulated.filter((id) => real.includes(id))).toEqual([]);
  });

  it('applies defaults, resolves the outbox against the file and freezes the result', async () => {
    const file = await write('ok.json', VALID);
    const config = await loadGatewayConfig(file);
    expect(config.outbox).toEqual({ dir: join(dir, 'outbox'), maxBytes: 64 * 1024 * 1024 });
    expect(config.batch).toEqual({ maxReadings: 100, maxDelayMs: 1000 });
    expect(config.healthIntervalMs).toBe(30000);
    expect(config.serialPorts[0]?.baudRate).toBe(9600);
    expect(Object.isFrozen(config.sensors[0])).toBe(true);
  });

  it('reads YAML by extension', async () => {
    const file = await write(
      'ok.yaml',
      'station: jinfo\ngateway: gw\nmqtt: { url: "mqtt://h:1883" }\noutbox: { dir: /tmp/x }\nsensors:\n' +
        '  - { id: s1, quantity: co2, unit: "[ppm]", intervalMs: 1000,\n' +
        '      driver: { type: simulator, signal: { type: diurnal, mean: 400 } } }\n',
    );
    const config = await loadGatewayConfig(file);
    expect(config.sensors[0]?.driver).toMatchObject({ type: 'simulator', seed: 1, decimals: 2 });
  });

  it('names the file and the path of a bad slug', async () => {
    const error = await failure(
      'bad-slug.json',
      mutate((d) => (d.station = 'Jinfo Cave')),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(join(dir, 'bad-slug.json'));
    expect(error.message).toMatch(/station: must be a slug/);
  });

  it('names the indexed path of a missing field', async () => {
    const error = await failure(
      'missing.json',
      mutate((d) => {
        const first = d.sensors[0] as SensorDoc;
        d.sensors.push({ ...first, id: 'b' }, { ...first, id: 'c', range: { max: 5 } });
      }),
    );
    expect(error.issues).toEqual([
      expect.stringMatching(/missing\.json: sensors\[2\]\.range\.min: .*expected number/),
    ]);
  });

  it('refuses a sensor on an unknown port, with the ports it knows', async () => {
    const error = await failure(
      'port.json',
      mutate((d) => ((d.sensors[0] as SensorDoc).driver.port = 'usb9')),
    );
    expect(error.message).toMatch(/sensors\[0\]\.driver\.port: expected a serialPorts id \(usb0\)/);
  });

  it('refuses two sensors on the same channel and two on a value-only port', async () => {
    const same = await failure(
      'channel.json',
      mutate((d) => {
        const first = d.sensors[0] as SensorDoc;
        d.sensors.push({ ...first, id: 'co2-b', driver: { ...first.driver, channel: 'cave-co2-1' } });
      }),
    );
    expect(same.message).toMatch(/sensors\[1\]\.driver\.channel: channel "cave-co2-1" is already used/);
    const single = await failure(
      'single.json',
      mutate((d) => {
        d.serialPorts[0] = { id: 'usb0', path: '/dev/ttyUSB0', protocol: { type: 'value' } };
        d.sensors.push({ ...(d.sensors[0] as SensorDoc), id: 'co2-b' });
      }),
    );
    expect(single.message).toMatch(/sensors\[1\]\.driver\.port: .*only one sensor/);
  });

  it('refuses CSV columns without exactly one value column', async () => {
    const error = await failure(
      'csv.json',
      mutate((d) => {
        d.serialPorts[0] = {
          id: 'usb0',
          path: '/dev/ttyUSB0',
          protocol: { type: 'csv', columns: ['channel', 'time'] },
        };
      }),
    );
    expect(error.message).toMatch(/serialPorts\[0\]\.protocol\.columns: expected exactly one "value" column/);
  });

  it('refuses a unit that is not a UCUM code, an unknown key and duplicate sensor ids', async () => {
    const error = await failure(
      'several.json',
      mutate((d) => {
        const first = d.sensors[0] as SensorDoc;
        d.sensors.push({ ...first, driver: { type: 'serial-line', port: 'usb0', channel: 'x' } });
        first.unit = 'p p m';
        d.extra = 1;
      }),
    );
    expect(error.message).toMatch(/sensors\[0\]\.unit: must be a UCUM code/);
    expect(error.message).toMatch(/\(top level\): Unrecognized key: "extra"/);
    expect(error.message).toMatch(/sensors\[1\]\.id: expected a unique sensor id/);
  });

  it('refuses a derived sensor with unknown, derived or missing inputs and a broken expression', async () => {
    const derived = (driver: Record<string, unknown>, id = 'dew-1'): SensorDoc => ({
      id,
      quantity: 'dew-point',
      unit: 'Cel',
      intervalMs: 60000,
      driver: { type: 'derived', ...driver },
    });
    const error = await failure(
      'derived.json',
      mutate((d) => {
        d.sensors.push(
          derived({
            expression: 't + k * z',
            inputs: { t: 'cave-co2-1', u: 'no-such' },
            constants: { k: 1, t: 2 },
          }),
          derived({ expression: 'x', inputs: { x: 'dew-1' } }, 'dew-2'),
          derived({ expression: 'sqrt(x', inputs: { x: 'cave-co2-1' } }, 'dew-3'),
        );
      }),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /sensors\[1\]\.driver\.inputs\.u: input "no-such" is not a sensor of this gateway/,
        ),
        expect.stringMatching(/sensors\[1\]\.driver\.constants\.t: "t" is also an input/),
        expect.stringMatching(/sensors\[1\]\.driver\.expression: "z" is neither an input nor a constant/),
        expect.stringMatching(/sensors\[2\]\.driver\.inputs\.x: input "dew-1" is itself derived/),
        expect.stringMatching(
          /sensors\[3\]\.driver\.expression: invalid expression: expected "\)" at character 7/,
        ),
      ]),
    );
  });

  it('refuses QC thresholds that contradict each other', async () => {
    const error = await failure(
      'qc.json',
      mutate((d) => {
        (d.sensors[0] as SensorDoc).qc = {
          spike: { suspect: 5, fail: 2 },
          flatLine: { tolerance: 0, suspectCount: 6, failCount: 3 },
          suspectRange: { min: 3, max: 1 },
        };
      }),
    );
    expect(error.message).toMatch(/sensors\[0\]\.qc\.spike\.fail: fail must not be below suspect/);
    expect(error.message).toMatch(/sensors\[0\]\.qc\.flatLine\.failCount: failCount must not be below/);
    expect(error.message).toMatch(/sensors\[0\]\.qc\.suspectRange\.max: min must not exceed max/);
  });

  it('refuses a second sensor on the same SDI-12 value, an M index beyond 9, and GPS time without a GPS reader', async () => {
    const error = await failure(
      'sdi12.json',
      mutate((d) => {
        d.serialPorts.push({ id: 'soil', path: '/dev/ttyUSB3', protocol: { type: 'sdi12' } });
        const soil = (id: string, index: number): SensorDoc => ({
          id,
          quantity: 'soil-moisture',
          unit: 'm3/m3',
          intervalMs: 900000,
          driver: { type: 'sdi12', port: 'soil', address: '1', index },
        });
        d.sensors.push(soil('vwc-a', 1), soil('vwc-b', 1), soil('vwc-c', 12));
        d.clock = { source: 'gps' };
      }),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/sensors\[3\]\.driver\.index: an M measurement announces at most 9 values/),
      ]),
    );
    const valid = await failure(
      'sdi12-dup.json',
      mutate((d) => {
        d.serialPorts.push({ id: 'soil', path: '/dev/ttyUSB3', protocol: { type: 'sdi12' } });
        const soil = (id: string): SensorDoc => ({
          id,
          quantity: 'soil-moisture',
          unit: 'm3/m3',
          intervalMs: 900000,
          driver: { type: 'sdi12', port: 'soil', address: '1', index: 1 },
        });
        d.sensors.push(soil('vwc-a'), soil('vwc-b'));
        d.clock = { source: 'gps' };
      }),
    );
    expect(valid.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /sensors\[2\]\.driver\.index: sensor "vwc-a" already reads value 1 of 1M! on port "soil"/,
        ),
        expect.stringMatching(/clock\.source: gps needs an nmea0183 port with at least one sensor/),
      ]),
    );
  });

  it('refuses two sensors on one Modbus register or one Firmata pin, and a board sampled slower than its timeout', async () => {
    const register = {
      type: 'modbus-rtu',
      port: 'bus',
      unitId: 3,
      function: 4,
      address: 7,
      dataType: 'int16',
    };
    const pin = { type: 'firmata', port: 'uno', kind: 'analog', pin: 'A2' };
    const withBusAndBoard = (board: Record<string, unknown>, drivers: Record<string, unknown>[]) =>
      mutate((d) => {
        d.serialPorts.push(
          { id: 'bus', path: '/dev/ttyUSB4', protocol: { type: 'modbus-rtu' } },
          { id: 'uno', path: '/dev/ttyACM0', protocol: { type: 'firmata', ...board } },
        );
        for (const [index, driver] of drivers.entries()) {
          d.sensors.push({ id: `s-${index}`, quantity: 'q', unit: 'V', intervalMs: 60000, driver });
        }
      });
    const slow = await failure('slow-board.json', withBusAndBoard({ samplingIntervalMs: 6000 }, [pin]));
    expect(slow.issues).toEqual([
      expect.stringMatching(/serialPorts\[2\]\.protocol\.samplingIntervalMs: must be below replyTimeoutMs/),
    ]);
    const drivers = [register, register, { ...register, dataType: 'uint16' }, pin, pin, { ...pin, aref: 5 }];
    const duplicates = await failure('duplicates.json', withBusAndBoard({}, drivers));
    expect(duplicates.issues).toEqual([
      expect.stringMatching(
        /sensors\[2\]\.driver: sensor "s-0" already reads unit 3 function 4 address 7 the same way on port "bus"/,
      ),
      expect.stringMatching(
        /sensors\[5\]\.driver: sensor "s-3" already reads pin A2 the same way on port "uno"/,
      ),
    ]);
  });

  it('refuses password and passwordFile together', async () => {
    const error = await failure(
      'pw.json',
      mutate((d) => (d.mqtt = { ...d.mqtt, password: 'a', passwordFile: 'b' })),
    );
    expect(error.message).toMatch(/mqtt\.passwordFile: give password or passwordFile, not both/);
  });

  it('reports YAML syntax errors, unknown extensions and missing files as coded errors', async () => {
    expect((await failure('broken.yaml', 'station: [jinfo\n')).code).toBe('CONFIG_SYNTAX');
    expect((await failure('config.toml', 'a = 1')).code).toBe('CONFIG_UNREADABLE');
    const missing = await loadGatewayConfig(join(dir, 'nope.yaml')).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'CONFIG_UNREADABLE', file: join(dir, 'nope.yaml') });
  });

  it('formats zod paths as a person writes them', () => {
    expect(formatIssuePath(['sensors', 2, 'range', 'min'])).toBe('sensors[2].range.min');
    expect(formatIssuePath([])).toBe('(top level)');
  });
});
