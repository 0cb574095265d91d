// The "calculator" template: evaluates an arithmetic expression the model or a visitor wrote. The
// input is untrusted text, so it goes through a small tokenizer and a recursive-descent parser over
// a fixed grammar; nothing is ever handed to `eval`, `Function` or a property lookup, so names such
// as `constructor`, `__proto__` or `process` are just unknown words. Pure: no ctx, no I/O.

/** The owner's settings for a calculator skill (stored with the skill, checked on save). */
export const configSchema = {
  type: "object",
  properties: {
    precision: { type: "integer", minimum: 0, maximum: 12 },
  },
  additionalProperties: false,
} as const;

/** What one call of the calculator takes. */
export const inputSchema = {
  type: "object",
  properties: {
    expression: { type: "string", maxLength: 500 },
  },
  required: ["expression"],
  additionalProperties: false,
} as const;

/** Bounds on the work one expression may cause. */
export const CALCULATOR_LIMITS = {
  /** Characters of one expression (matches `inputSchema`). */
  maxChars: 500,
  /** Nesting of parentheses, function calls, unary signs and powers together. */
  maxDepth: 50,
  /** Tokens of one expression; far above any expression a person writes. */
  maxTokens: 256,
  /** Arguments of `min`/`max`. */
  maxArgs: 32,
  /** Characters of input quoted back in an error message. */
  snippetChars: 16,
} as const;

/** The result of `evaluateExpression`: a finite number, or what went wrong and where. */
export type CalculatorResult =
  | { ok: true; value: number }
  | { ok: false; error: string; position?: number };

/** Options of `evaluateExpression`; `precision` is the owner's `configSchema.precision`. */
export interface CalculatorOptions {
  /** Decimal places to round the result to (0–12); omitted means no rounding. */
  precision?: number;
}

type Operator = "+" | "-" | "*" | "/" | "%" | "^";

type Token =
  | { kind: "number"; value: number; pos: number }
  | { kind: "name"; name: string; pos: number }
  | { kind: "op"; op: Operator; pos: number }
  | { kind: "lparen"; pos: number }
  | { kind: "rparen"; pos: number }
  | { kind: "comma"; pos: number }
  | { kind: "end"; pos: number };

/** An expected failure, carrying the 0-based index it refers to. */
class CalcError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

// Maps, not object literals: a lookup of "constructor" or "__proto__" in a Map finds nothing.
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
]);

interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  apply: (args: number[]) => number;
}

const unary = (fn: (x: number) => number): FunctionSpec => ({ minArgs: 1, maxArgs: 1, apply: (a) => fn(a[0]) });

const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map([
  ["sqrt", unary(Math.sqrt)],
  ["abs", unary(Math.abs)],
  ["round", unary(Math.round)],
  ["floor", unary(Math.floor)],
  ["ceil", unary(Math.ceil)],
  ["log", unary(Math.log10)],
  ["ln", unary(Math.log)],
  ["exp", unary(Math.exp)],
  ["sin", unary(Math.sin)],
  ["cos", unary(Math.cos)],
  ["tan", unary(Math.tan)],
  ["min", { minArgs: 1, maxArgs: CALCULATOR_LIMITS.maxArgs, apply: (a) => Math.min(...a) }],
  ["max", { minArgs: 1, maxArgs: CALCULATOR_LIMITS.maxArgs, apply: (a) => Math.max(...a) }],
]);

/** A short, single-line quote of the input at `pos`, so errors never echo a long payload. */
function snippet(input: string, pos: number): string {
  const raw = input.slice(pos, pos + CALCULATOR_LIMITS.snippetChars).replace(/\s+/g, " ");
  return pos + CALCULATOR_LIMITS.snippetChars < input.length ? `${raw}…` : raw;
}

const isDigit = (c: string) => c >= "0" && c <= "9";
const isNameStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isNameChar = (c: string) => isNameStart(c) || isDigit(c);

/** Reads a number literal (`12`, `1.5`, `.5`, `2e-3`) starting at `start`. */
function readNumber(input: string, start: number): { token: Token; next: number } {
  let i = start;
  while (i < input.length && isDigit(input[i])) i++;
  if (input[i] === ".") {
    i++;
    while (i < input.length && isDigit(input[i])) i++;
  }
  const mantissa = input.slice(start, i);
  if (mantissa === ".") throw new CalcError(`Unexpected "." at position ${start + 1}`, start);
  if (input[i] === "e" || input[i] === "E") {
    // Only an exponent when digits follow; otherwise `e` is left for the next token (and `2e`
    // then fails as a missing operator rather than being read as 2).
    let j = i + 1;
    if (input[j] === "+" || input[j] === "-") j++;
    if (isDigit(input[j] ?? "")) {
      while (j < input.length && isDigit(input[j])) j++;
      i = j;
    }
  }
  if (input[i] === ".") throw new CalcError(`Malformed number at position ${start + 1}: "${snippet(input, start)}"`, start);
  const value = Number(input.slice(start, i));
  if (!Number.isFinite(value)) throw new CalcError(`Number too large at position ${start + 1}`, start);
  return { token: { kind: "number", value, pos: start }, next: i };
}

/** Splits the expression into tokens, refusing any character or name outside the grammar. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (tokens.length >= CALCULATOR_LIMITS.maxTokens) {
      throw new CalcError(`Expression has too many parts (more than ${CALCULATOR_LIMITS.maxTokens})`, i);
    }
    if (isDigit(c) || (c === "." && isDigit(input[i + 1] ?? ""))) {
      const { token, next } = readNumber(input, i);
      tokens.push(token);
      i = next;
    } else if (isNameStart(c)) {
      const start = i;
      while (i < input.length && isNameChar(input[i])) i++;
      const name = input.slice(start, i);
      const lower = name.toLowerCase();
      if (!CONSTANTS.has(lower) && !FUNCTIONS.has(lower)) {
        throw new CalcError(`Unknown name "${snippet(name, 0)}" at position ${start + 1}`, start);
      }
      tokens.push({ kind: "name", name: lower, pos: start });
    } else if (c === "+" || c === "-" || c === "*" || c === "/" || c === "%" || c === "^") {
      tokens.push({ kind: "op", op: c, pos: i++ });
    } else if (c === "(") {
      tokens.push({ kind: "lparen", pos: i++ });
    } else if (c === ")") {
      tokens.push({ kind: "rparen", pos: i++ });
    } else if (c === ",") {
      tokens.push({ kind: "comma", pos: i++ });
    } else {
      throw new CalcError(`Unexpected character "${snippet(c, 0)}" at position ${i + 1}`, i);
    }
  }
  tokens.push({ kind: "end", pos: input.length });
  return tokens;
}

/** Fails unless `value` is a finite number; `what` names the operation for the message. */
function finite(value: number, what: string, pos: number): number {
  if (Number.isNaN(value)) throw new CalcError(`${what} at position ${pos + 1} is not a real number`, pos);
  if (!Number.isFinite(value)) throw new CalcError(`${what} at position ${pos + 1} is too large (overflow)`, pos);
  return value;
}

/** Applies a binary operator, refusing division by zero and non-finite results. */
function applyOperator(op: Operator, left: number, right: number, pos: number): number {
  switch (op) {
    case "+":
      return finite(left + right, "Addition", pos);
    case "-":
      return finite(left - right, "Subtraction", pos);
    case "*":
      return finite(left * right, "Multiplication", pos);
    case "/":
      if (right === 0) throw new CalcError(`Division by zero at position ${pos + 1}`, pos);
      return finite(left / right, "Division", pos);
    case "%":
      if (right === 0) throw new CalcError(`Division by zero at position ${pos + 1}`, pos);
      return finite(left % right, "Remainder", pos);
    case "^":
      return finite(left ** right, "Power", pos);
  }
}

/**
 * Recursive descent over:
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/" | "%") unary)*
 *   unary      := ("+" | "-") unary | power
 *   power      := primary ("^" unary)?          (right-associative; binds tighter than unary minus)
 *   primary    := number | constant | function "(" expression ("," expression)* ")" | "(" expression ")"
 * Every step that can recurse goes through `descend`, which bounds the depth.
 */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  parse(): number {
    const value = this.expression();
    const next = this.peek();
    if (next.kind !== "end") throw this.unexpected(next, "an operator");
    return value;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private descend<T>(pos: number, step: () => T): T {
    if (++this.depth > CALCULATOR_LIMITS.maxDepth) {
      throw new CalcError(`Expression is nested too deeply (more than ${CALCULATOR_LIMITS.maxDepth} levels) at position ${pos + 1}`, pos);
    }
    try {
      return step();
    } finally {
      this.depth--;
    }
  }

  private unexpected(token: Token, expected: string): CalcError {
    if (token.kind === "end") return new CalcError(`Unexpected end of expression: expected ${expected}`, token.pos);
    return new CalcError(`Expected ${expected} at position ${token.pos + 1}, found "${snippet(this.input, token.pos)}"`, token.pos);
  }

  private expression(): number {
    let value = this.term();
    for (let t = this.peek(); t.kind === "op" && (t.op === "+" || t.op === "-"); t = this.peek()) {
      this.take();
      value = applyOperator(t.op, value, this.term(), t.pos);
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    for (let t = this.peek(); t.kind === "op" && (t.op === "*" || t.op === "/" || t.op === "%"); t = this.peek()) {
      this.take();
      value = applyOperator(t.op, value, this.unary(), t.pos);
    }
    return value;
  }

  private unary(): number {
    const t = this.peek();
    if (t.kind === "op" && (t.op === "+" || t.op === "-")) {
      this.take();
      const operand = this.descend(t.pos, () => this.unary());
      // `0 - x` would turn -0 into 0 differently; negate directly and normalise -0 at the end.
      return t.op === "-" ? -operand : operand;
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    const t = this.peek();
    if (t.kind === "op" && t.op === "^") {
      this.take();
      const exponent = this.descend(t.pos, () => this.unary());
      return applyOperator("^", base, exponent, t.pos);
    }
    return base;
  }

  private primary(): number {
    const t = this.take();
    switch (t.kind) {
      case "number":
        return t.value;
      case "lparen": {
        const value = this.descend(t.pos, () => this.expression());
        this.expect("rparen", `")" to close the "(" at position ${t.pos + 1}`);
        return value;
      }
      case "name":
        return this.name(t);
      default:
        throw this.unexpected(t, "a number, a name or \"(\"");
    }
  }

  private name(t: Extract<Token, { kind: "name" }>): number {
    const fn = FUNCTIONS.get(t.name);
    if (!fn) {
      // The tokenizer admits only known names, so anything not a function is a constant.
      if (this.peek().kind === "lparen") throw new CalcError(`"${t.name}" at position ${t.pos + 1} is a constant, not a function`, t.pos);
      return CONSTANTS.get(t.name) ?? 0;
    }
    this.expect("lparen", `"(" after ${t.name}`);
    const args = this.descend(t.pos, () => this.arguments());
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const wanted = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      throw new CalcError(`${t.name} at position ${t.pos + 1} takes ${wanted} argument${wanted === "1" ? "" : "s"}, got ${args.length}`, t.pos);
    }
    return finite(fn.apply(args), `Result of ${t.name}`, t.pos);
  }

  private arguments(): number[] {
    const args: number[] = [];
    if (this.peek().kind === "rparen") {
      this.take();
      return args;
    }
    for (;;) {
      args.push(this.expression());
      const t = this.take();
      if (t.kind === "rparen") return args;
      if (t.kind !== "comma") throw this.unexpected(t, "\",\" or \")\"");
    }
  }

  private expect(kind: "lparen" | "rparen", what: string): void {
    const t = this.take();
    if (t.kind !== kind) throw this.unexpected(t, what);
  }
}

/** Rounds to `precision` decimal places (half away from zero, as people expect of 2.5 → 3). */
function roundTo(value: number, precision: number): number {
  const factor = 10 ** precision;
  const scaled = Math.abs(value) * factor;
  // Beyond 2^53 there are no fractional digits left to round.
  if (!Number.isFinite(scaled) || scaled >= Number.MAX_SAFE_INTEGER) return value;
  return (Math.sign(value) * Math.round(scaled + Number.EPSILON * scaled)) / factor;
}

/**
 * Evaluates an arithmetic expression: numbers (`12`, `1.5`, `2e-3`), `+ - * / % ^` (`^` is
 * right-associative and binds tighter than unary minus, so `-2^2` is -4), parentheses, the
 * constants `pi` and `e`, and `sqrt abs round floor ceil log (base 10) ln exp sin cos tan` (one
 * argument, radians) and `min max` (1–32 arguments). Never throws: every failure, including
 * division by zero and overflow, comes back as `{ ok: false, error }` with a 1-based position.
 */
export function evaluateExpression(expression: unknown, options: CalculatorOptions = {}): CalculatorResult {
  if (typeof expression !== "string") return { ok: false, error: "Expression must be a string" };
  if (expression.length > CALCULATOR_LIMITS.maxChars) {
    return { ok: false, error: `Expression is too long (${expression.length} characters, at most ${CALCULATOR_LIMITS.maxChars})` };
  }
  if (expression.trim() === "") return { ok: false, error: "Expression is empty" };
  const { precision } = options;
  if (precision !== undefined && (!Number.isInteger(precision) || precision < 0 || precision > 12)) {
    return { ok: false, error: "Precision must be a whole number from 0 to 12" };
  }
  try {
    const raw = new Parser(expression, tokenize(expression)).parse();
    const value = precision === undefined ? raw : roundTo(raw, precision);
    // -0 prints as "0" but is distinct under Object.is; callers should never see it.
    return { ok: true, value: value === 0 ? 0 : value };
  } catch (error) {
    if (error instanceof CalcError) return { ok: false, error: error.message, position: error.pos + 1 };
    throw error;
  }
}
