/**
 * A small arithmetic language for derived channels, parsed once when the config is loaded and
 * evaluated without `eval`: numbers, named variables, + - * / ^ (right-associative), unary minus,
 * parentheses and a fixed set of functions. Anything else is a config error with its position.
 */
export type Expression =
  | { kind: 'number'; value: number }
  | { kind: 'variable'; name: string }
  | { kind: 'unary'; operand: Expression }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression }
  | { kind: 'call'; name: FunctionName; args: Expression[] };

type BinaryOperator = '+' | '-' | '*' | '/' | '^';

const FUNCTIONS = {
  abs: [1, Math.abs],
  sqrt: [1, Math.sqrt],
  exp: [1, Math.exp],
  ln: [1, Math.log],
  log10: [1, Math.log10],
  sin: [1, Math.sin],
  cos: [1, Math.cos],
  tan: [1, Math.tan],
  atan: [1, Math.atan],
  atan2: [2, Math.atan2],
  pow: [2, Math.pow],
  min: [2, Math.min],
  max: [2, Math.max],
} as const satisfies Record<string, readonly [number, (...args: number[]) => number]>;

type FunctionName = keyof typeof FUNCTIONS;

/** Names every expression may use without declaring them. */
export const BUILT_IN_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

export const MAX_EXPRESSION_LENGTH = 500;
const MAX_DEPTH = 40;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position + 1}`);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'symbol'; symbol: string; at: number }
  | { kind: 'end'; at: number };

const TOKEN =
  /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const from = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(from).trim() === '') break;
      const at = from + (text.slice(from).length - text.slice(from).trimStart().length);
      throw new ExpressionError(`unexpected "${text[at]}"`, at);
    }
    const at = TOKEN.lastIndex - match[0].trimStart().length;
    const [, number, name, symbol] = match;
    if (number !== undefined) tokens.push({ kind: 'number', value: Number(number), at });
    else if (name !== undefined) tokens.push({ kind: 'name', name, at });
    else tokens.push({ kind: 'symbol', symbol: symbol as string, at });
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

const BINDING: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 3 };

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Expression {
    const expression = this.expression(0, 0);
    const next = this.peek();
    if (next.kind !== 'end') throw new ExpressionError('expected an operator or the end', next.at);
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private take(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private expect(symbol: string): void {
    const token = this.take();
    if (token.kind !== 'symbol' || token.symbol !== symbol)
      throw new ExpressionError(`expected "${symbol}"`, token.at);
  }

  // Precedence climbing; `^` binds to the right, so 2^3^2 is 2^(3^2).
  private expression(minBinding: number, depth: number): Expression {
    if (depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply', this.peek().at);
    let left = this.operand(depth);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'symbol') break;
      const binding = BINDING[token.symbol];
      if (binding === undefined || binding < minBinding) break;
      this.take();
      const next = token.symbol === '^' ? binding : binding + 1;
      const right = this.expression(next, depth + 1);
      left = { kind: 'binary', operator: token.symbol as BinaryOperator, left, right };
    }
    return left;
  }

  private operand(depth: number): Expression {
    const token = this.take();
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'symbol' && token.symbol === '-') {
      // Unary minus binds looser than ^: -x^2 is -(x^2), as in mathematics.
      return { kind: 'unary', operand: this.expression(BINDING['^'] as number, depth + 1) };
    }
    if (token.kind === 'symbol' && token.symbol === '(') {
      const inner = this.expression(0, depth + 1);
      this.expect(')');
      return inner;
    }
    if (token.kind === 'name') return this.nameOrCall(token, depth);
    throw new ExpressionError(
      token.kind === 'end' ? 'unexpected end' : 'expected a number, name or "("',
      token.at,
    );
  }

  private nameOrCall(token: Extract<Token, { kind: 'name' }>, depth: number): Expression {
    const next = this.peek();
    if (next.kind !== 'symbol' || next.symbol !== '(') return { kind: 'variable', name: token.name };
    if (!Object.hasOwn(FUNCTIONS, token.name)) {
      const known = Object.keys(FUNCTIONS).join(', ');
      throw new ExpressionError(`unknown function "${token.name}" (known: ${known})`, token.at);
    }
    const name = token.name as FunctionName;
    this.take();
    const args = [this.expression(0, depth + 1)];
    while (this.peek().kind === 'symbol' && (this.peek() as { symbol: string }).symbol === ',') {
      this.take();
      args.push(this.expression(0, depth + 1));
    }
    this.expect(')');
    const [arity] = FUNCTIONS[name];
    if (args.length !== arity) throw new ExpressionError(`${name}() takes ${arity} argument(s)`, token.at);
    return { kind: 'call', name, args };
  }
}

/** Parses an expression; throws ExpressionError naming the position of the first problem. */
export function parseExpression(text: string): Expression {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  return new Parser(tokenize(text)).parse();
}

/** Every variable name the expression reads, in order of first use. */
export function variablesOf(expression: Expression): string[] {
  const names = new Set<string>();
  const visit = (node: Expression): void => {
    if (node.kind === 'variable') names.add(node.name);
    else if (node.kind === 'unary') visit(node.operand);
    else if (node.kind === 'binary') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'call') node.args.forEach(visit);
  };
  visit(expression);
  return [...names];
}

const BINARY: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
};

/** Evaluates with the given values; a name without one is NaN, which the caller refuses as not finite. */
export function evaluate(expression: Expression, values: ReadonlyMap<string, number>): number {
  switch (expression.kind) {
    case 'number':
      return expression.value;
    case 'variable':
      return (
        values.get(expression.name) ??
        (Object.hasOwn(BUILT_IN_CONSTANTS, expression.name)
          ? BUILT_IN_CONSTANTS[expression.name]
          : undefined) ??
        Number.NaN
      );
    case 'unary':
      return -evaluate(expression.operand, values);
    case 'binary':
      return BINARY[expression.operator](
        evaluate(expression.left, values),
        evaluate(expression.right, values),
      );
    case 'call': {
      const [, fn] = FUNCTIONS[expression.name];
      return (fn as (...args: number[]) => number)(...expression.args.map((arg) => evaluate(arg, values)));
    }
  }
}
