import fc from 'fast-check';

/**
 * Lines of a chunked `/query` answer as InfluxDB could write them, for comparing the row scanner
 * with JSON.parse: numbers in every form JSON allows (and the forms InfluxDB 1.x, 2.x and 3.x
 * write), nulls, strings with escapes, booleans, nested cells, partial flags, messages and errors.
 */

/** A JSON number's text built from its grammar: sign, integer, fraction, exponent. */
const grammarNumber = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/), { nil: undefined }),
  )
  .map(
    ([negative, integer, fraction, exponent]) =>
      `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}${exponent ?? ''}`,
  );

const oddNumber = fc.constantFrom(
  '-0',
  '0',
  '0.0',
  '1.0',
  '812.40',
  '1e21',
  '1e+21',
  '1E5',
  '0.000001',
  '0.0000001',
  '-0.000001',
  '0.0000012',
  '123456789012345',
  '1234567890123456',
  '999999999999999',
  '0.123456789012345',
  '0.1234567890123456',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '1e400',
  '-1e400',
  '5e-324',
  '2.2250738585072014e-308',
  '1735689600000',
  '100000000000000000000',
);

export const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => String(n / 10)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  grammarNumber,
  oddNumber,
);

const otherCell = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '[1,2]', '{"a":1}', '"\\u0041\\"\\\\\\n"', '"]"', '"],["'),
  fc.string().map((text) => JSON.stringify(text)),
);

export const cellText = fc.oneof(
  { weight: 6, arbitrary: numberText },
  { weight: 2, arbitrary: fc.constant('null') },
  { weight: 1, arbitrary: otherCell },
);

/** What JSON puts between tokens: mostly nothing, as InfluxDB writes it. */
const space = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, fc.constantFrom(' ', '\n', '\t', ' \r\n '));

const rowText = fc
  .tuple(fc.array(cellText, { maxLength: 4 }), space)
  .map(([cells, gap]) => `[${gap}${cells.join(`${gap},${gap}`)}${gap}]`);

/** A number or null: what the rows of a readings query hold, and what the scanner takes. */
const numericCell = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 1, arbitrary: fc.constant('null') },
);

/** A time as epoch=ms gives it, or now and then something else. */
const timeText = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1_735_689_600_000, max: 1_767_225_600_000 }).map(String) },
  { weight: 1, arbitrary: numericCell },
);

/** Rows of a readings query: time, value, qc, as the series routes read them. */
const readingRowText = fc
  .tuple(timeText, numericCell, fc.oneof(fc.integer({ min: 1, max: 9 }).map(String), numericCell))
  .map((cells) => `[${cells.join(',')}]`);

const valuesText = fc
  .tuple(
    fc.oneof(
      fc.array(readingRowText, { maxLength: 12 }),
      fc.array(fc.oneof(readingRowText, rowText), { maxLength: 12 }),
    ),
    space,
  )
  .map(([rows, gap]) => `[${gap}${rows.join(`${gap},${gap}`)}${gap}]`);

const seriesText = fc
  .record(
    {
      name: fc.constantFrom('reading', 'values', 'a "b"'),
      tags: fc.dictionary(fc.constantFrom('station', 'sensor', 'values', 'unit'), fc.string(), {
        maxKeys: 3,
      }),
      columns: fc.constantFrom(['time', 'value', 'qc'], ['time', 'qc', 'value'], ['value'], []),
      values: valuesText,
      partial: fc.boolean(),
    },
    { requiredKeys: ['name', 'columns'] },
  )
  .map((series) => {
    const members = [
      `"name":${JSON.stringify(series.name)}`,
      ...(series.tags === undefined ? [] : [`"tags":${JSON.stringify(series.tags)}`]),
      `"columns":${JSON.stringify(series.columns)}`,
      ...(series.values === undefined ? [] : [`"values":${series.values}`]),
      ...(series.partial === true ? ['"partial":true'] : []),
    ];
    return `{${members.join(',')}}`;
  });

const resultText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.nat(3),
        fc.array(seriesText, { maxLength: 3 }),
        fc.boolean(),
        fc.option(fc.constant('"messages":[{"level":"warning","text":"deprecated"}]'), { nil: undefined }),
      )
      .map(([id, series, partial, messages]) =>
        [
          `{"statement_id":${id}`,
          ...(series.length > 0 ? [`,"series":[${series.join(',')}]`] : []),
          ...(messages === undefined ? [] : [`,${messages}`]),
          partial ? ',"partial":true}' : '}',
        ].join(''),
      ),
  },
  { weight: 1, arbitrary: fc.constant('{"statement_id":0,"error":"shard 12 is gone"}') },
);

/** A whole line: mostly the usual shape, sometimes a top-level error or a damaged line. */
export const responseLine = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.array(resultText, { maxLength: 2 }).map((r) => `{"results":[${r.join(',')}]}`),
  },
  { weight: 1, arbitrary: fc.constant('{"error":"database not found: nope"}') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.array(resultText, { minLength: 1, maxLength: 2 }),
        fc.nat(),
        fc.constantFrom('', ']', '"', ',', 'x'),
      )
      .map(([results, at, insert]) => {
        const line = `{"results":[${results.join(',')}]}`;
        const cut = at % (line.length + 1);
        return line.slice(0, cut) + insert + line.slice(cut);
      }),
  },
);
