import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadGatewayConfig, parseGatewayConfig } from '../../firmware-bridge/config/load.js';
import { ConfigError } from '../../firmware-bridge/errors.js';
import { mutated, oddText, RUNS, replaceAt } from './fuzz-inputs.js';

const CONFIG_DIR = join(import.meta.dirname, '../../config');
/** The shipped gateway configs: between them every driver, port protocol and option. */
const BASE_TEXTS = [
  'jinfo-cave-gw.yaml',
  'xuefeng-line-gw.yaml',
  'simulate/jinfo.yaml',
  'simulate/xuefeng.yaml',
].map((name) => readFileSync(join(CONFIG_DIR, name), 'utf8'));
const BASE_DOCUMENTS: unknown[] = BASE_TEXTS.map((text) => parseYaml(text));

/** YAML that has hurt parsers: alias bombs, deep nesting, tags, merge keys, duplicate keys, tabs. */
const NASTY_YAML = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  `station: ${'['.repeat(5000)}1${']'.repeat(5000)}`,
  `station: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}`,
  'station: !!binary aGVsbG8=\ngateway: !!js/function "() => 1"',
  'base: &base {station: jinfo}\n<<: *base\ngateway: gw',
  'station: a\nstation: b',
  'station:\tjinfo',
  '? [complex, key]\n: value',
  '%YAML 1.1\n---\nstation: yes',
  'sensors: [ .inf, -.inf, .nan, 0x7fffffffffffffffff, 1e400 ]',
  '\uFEFFstation: jinfo',
  '---\n...\n---',
  '',
];

/** Every number, string and boolean in a document: replacements that fit its shape but not its meaning. */
function leaves(document: unknown): unknown[] {
  if (typeof document !== 'object' || document === null) return [document];
  return Object.values(document).flatMap(leaves);
}

/**
 * A shipped config with up to three subtrees, somewhere down, replaced: by a value from elsewhere in
 * the file (a port id where a sensor id was, another driver's type), by any JSON value, or by odd text.
 */
const mutatedDocument = fc.constantFrom(...BASE_DOCUMENTS).chain((base) => {
  const replacement = fc.oneof(
    { arbitrary: fc.constantFrom(...leaves(base)), weight: 3 },
    fc.jsonValue({ maxDepth: 3 }),
    oddText(20),
    fc.constantFrom(null, -1, 0, 1e300, '', [], {}),
  );
  const edit = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement);
  return fc
    .array(edit, { maxLength: 3 })
    .map((edits) => edits.reduce((document, [path, value]) => replaceAt(document, path, value), base));
});

/** Config file text: a shipped file with characters changed, a changed document written out, or nasty YAML. */
const configText = fc.oneof(
  mutated(fc.constantFrom(...BASE_TEXTS), 4),
  mutatedDocument.map((document) => stringifyYaml(document)),
  mutatedDocument.map((document) => JSON.stringify(document)),
  fc.constantFrom(...NASTY_YAML),
  oddText(200),
);

function expectConfigError(error: unknown): void {
  expect(error).toBeInstanceOf(ConfigError);
  expect(['CONFIG_SYNTAX', 'CONFIG_INVALID']).toContain((error as ConfigError).code);
}

describe('gateway config, fuzzed', () => {
  it('validates any document into a frozen config or a CONFIG_INVALID error', () => {
    fc.assert(
      fc.property(mutatedDocument, (document) => {
        try {
          expect(Object.isFrozen(parseGatewayConfig(document, '/etc/fieldstation/gateway.yaml'))).toBe(true);
        } catch (error) {
          expectConfigError(error);
        }
      }),
      { numRuns: RUNS },
    );
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-fuzz-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads any file text into a config or a coded CONFIG_ error', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(configText, fc.constantFrom('.yaml', '.yml', '.json'), async (text, extension) => {
        run += 1;
        const file = join(dir, `gateway-${run}${extension}`);
        await writeFile(file, text);
        const loaded = await loadGatewayConfig(file).catch((error: unknown) => error);
        if (loaded instanceof Error) expectConfigError(loaded);
        else expect(Object.isFrozen(loaded)).toBe(true);
      }),
      // A file written and parsed per run: fewer runs; the property above covers validation in bulk.
      { numRuns: 100 },
    );
  });
});
