import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerivedDriverConfigSchema } from '../../firmware-bridge/drivers/derived/config.js';
import {
  type Expression,
  ExpressionError,
  evaluate,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  variablesOf,
} from '../../firmware-bridge/drivers/derived/expression.js';
import { mutated, oddText, RUNS, shortNumberText } from './fuzz-inputs.js';

const NAMES = ['t', 'rh', 'load', 'd', 'pi', 'e', 'x_1'];
const FUNCTIONS_1 = ['abs', 'sqrt', 'exp', 'ln', 'log10', 'sin', 'cos', 'tan', 'atan'];
const FUNCTIONS_2 = ['atan2', 'pow', 'min', 'max'];

/** Expressions in the language's grammar, as an operator would write them in a config. */
const { expression } = fc.letrec<{ expression: string; operand: string }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      shortNumberText.filter((text) => /^\d|^\./.test(text)),
      fc.constantFrom('1e-3', '2.5E+2'),
    ),
    fc.constantFrom(...NAMES),
    tie('expression').map((inner) => `(${inner})`),
    tie('expression').map((inner) => `-${inner}`),
    fc.tuple(fc.constantFrom(...FUNCTIONS_1), tie('expression')).map(([fn, arg]) => `${fn}(${arg})`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS_2), tie('expression'), tie('expression'))
      .map(([fn, a, b]) => `${fn}(${a}, ${b})`),
  ),
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('operand'),
    fc
      .tuple(tie('operand'), fc.constantFrom(' + ', '-', ' * ', '/', '^'), tie('expression'))
      .map(([left, op, right]) => `${left}${op}${right}`),
  ),
}));

/** Text an operator could put in the `expression` field: grammatical, slightly off, nested very deep, or anything. */
const expressionText = fc.oneof(
  expression,
  mutated(expression),
  fc
    .tuple(fc.nat(300), fc.constantFrom('(', '-', 'abs(', '-('))
    .map(([depth, open]) => `${open.repeat(depth)}1`),
  fc.nat(300).map((terms) => Array.from({ length: terms }, () => '1').join('+')),
  oddText(80),
);

describe('derived expression parser, fuzzed', () => {
  it('parses any text or throws an ExpressionError naming a position within it', () => {
    fc.assert(
      fc.property(expressionText, (text) => {
        let parsed: Expression;
        try {
          parsed = parseExpression(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const { position } = error as ExpressionError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(Math.max(text.length, MAX_EXPRESSION_LENGTH));
          return;
        }
        const names = variablesOf(parsed);
        const values = new Map(names.map((name, index) => [name, index - 1.5]));
        expect(typeof evaluate(parsed, values)).toBe('number');
      }),
      { numRuns: RUNS },
    );
  });

  it('turns any expression text into a config or a config issue, never a throw', () => {
    fc.assert(
      fc.property(expressionText, (text) => {
        const parsed = DerivedDriverConfigSchema.safeParse({
          type: 'derived',
          expression: text,
          inputs: { t: 'air-t' },
        });
        if (!parsed.success) expect(parsed.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });
});
