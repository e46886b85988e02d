import { describe, expect, it } from 'vitest';
import {
  evaluate,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  variablesOf,
} from '../../../firmware-bridge/drivers/derived/expression.js';

const run = (text: string, values: Record<string, number> = {}) =>
  evaluate(parseExpression(text), new Map(Object.entries(values)));

describe('derived-channel expressions', () => {
  it('follows arithmetic precedence, right-associative powers and unary minus below powers', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('2 ^ 3 ^ 2')).toBe(512);
    expect(run('-x ^ 2', { x: 3 })).toBe(-9);
    expect(run('2 * -3')).toBe(-6);
    expect(run('10 - 4 - 3')).toBe(3);
    expect(run('8 / 4 / 2')).toBe(1);
    expect(run('1.5e3 + .5')).toBe(1500.5);
  });

  it('calls the built-in functions and knows pi and e', () => {
    expect(run('max(x, 10) / 2', { x: 3 })).toBe(5);
    expect(run('sqrt(16) + abs(-2) + ln(e) + log10(1000)')).toBe(10);
    expect(run('atan2(1, 1) * 4')).toBeCloseTo(Math.PI, 12);
    expect(run('pow(2, 10)')).toBe(1024);
  });

  it('computes equivalent radial ice thickness from conductor load (mm)', () => {
    // 300 m span, 26.8 mm conductor, bare load 5200 N; 5 mm of ice adds rho*g*pi*b*(b+D) per metre.
    const extra = 900 * 9.81 * Math.PI * 0.005 * (0.005 + 0.0268) * 300;
    const thickness = run(
      '(-d + sqrt(d^2 + 4 * max(load - bare, 0) / span / (pi * 900 * 9.81))) / 2 * 1000',
      {
        d: 0.0268,
        span: 300,
        bare: 5200,
        load: 5200 + extra,
      },
    );
    expect(thickness).toBeCloseTo(5, 9);
  });

  it('lists the variables it reads', () => {
    expect(variablesOf(parseExpression('a * b + sqrt(a) - pi'))).toEqual(['a', 'b', 'pi']);
  });

  it('names the position of what it cannot parse', () => {
    const cases: [string, string][] = [
      ['1 +', 'unexpected end at character 4'],
      ['foo(1)', 'unknown function "foo"'],
      ['1 $ 2', 'unexpected "$" at character 3'],
      ['max(1)', 'max() takes 2 argument(s)'],
      ['(1', 'expected ")" at character 3'],
      ['1 2', 'expected an operator or the end at character 3'],
      ['constructor(1)', 'unknown function "constructor"'],
    ];
    for (const [text, message] of cases) expect(() => parseExpression(text), text).toThrow(message);
    expect(() => parseExpression('1+'.repeat(MAX_EXPRESSION_LENGTH))).toThrow(/longer than/);
    expect(() => parseExpression(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(/nested too deeply/);
  });

  it('yields NaN for a name without a value rather than reading anything else', () => {
    expect(run('toString + 1')).toBeNaN();
  });
});
