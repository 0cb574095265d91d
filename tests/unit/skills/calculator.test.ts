// The calculator template (convex/skills/templates/calculator.ts): arithmetic by a real parser.
// Expressions come from the model or a visitor, so every attempt to reach JavaScript must be
// refused as text, with a position, and nothing may ever be executed.
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  CALCULATOR_LIMITS,
  configSchema,
  evaluateExpression,
  inputSchema,
} from "../../../convex/skills/templates/calculator.ts";

describe("evaluateExpression: values", () => {
  it.each([
    ["an integer", "42", 42],
    ["a decimal", "3.25", 3.25],
    ["a leading-dot decimal", ".5", 0.5],
    ["exponent notation", "2e3", 2000],
    ["negative exponent", "1.5E-2", 0.015],
    ["explicit positive exponent", "1e+2", 100],
    ["addition and subtraction, left to right", "10 - 4 - 3", 3],
    ["multiplication before addition", "2 + 3 * 4", 14],
    ["parentheses first", "(2 + 3) * 4", 20],
    ["division left to right", "100 / 10 / 5", 2],
    ["remainder", "17 % 5", 2],
    ["remainder with the sign of the dividend", "-7 % 3", -1],
    ["remainder shares precedence with *", "2 * 7 % 4", 2],
    ["power", "2 ^ 10", 1024],
    ["power is right-associative", "2 ^ 3 ^ 2", 512],
    ["power binds tighter than unary minus", "-2 ^ 2", -4],
    ["a negative base in parentheses", "(-2) ^ 2", 4],
    ["a negative exponent", "2 ^ -1", 0.5],
    ["power binds tighter than *", "3 * 2 ^ 2", 12],
    ["unary minus", "-5", -5],
    ["unary plus", "+5", 5],
    ["double negation", "--5", 5],
    ["unary minus after an operator", "3 * -2", -6],
    ["unary minus before parentheses", "-(1 + 2)", -3],
    ["nested parentheses", "((((1 + 1))))", 2],
    ["whitespace everywhere", " \t1 +\n2\r", 3],
    ["sqrt", "sqrt(16)", 4],
    ["abs", "abs(-3.5)", 3.5],
    ["round", "round(2.5)", 3],
    ["floor", "floor(-2.5)", -3],
    ["ceil", "ceil(2.1)", 3],
    ["log is base 10", "log(1000)", 3],
    ["ln is natural", "ln(e)", 1],
    ["exp", "exp(0)", 1],
    ["sin in radians", "sin(0)", 0],
    ["cos in radians", "cos(pi)", -1],
    ["tan", "tan(0)", 0],
    ["min of several", "min(4, -2, 7)", -2],
    ["max of several", "max(4, -2, 7)", 7],
    ["min of one", "min(3)", 3],
    ["pi", "pi", Math.PI],
    ["e", "e", Math.E],
    ["names are case-insensitive", "SQRT(9) + PI - Pi", 3],
    ["functions of expressions", "sqrt(3 * 3 + 4 * 4)", 5],
    ["nested functions", "max(abs(-3), min(10, 2 ^ 3))", 8],
    ["negative zero is reported as zero", "-0", 0],
  ])("%s: %s", (_name, expression, expected) => {
    expect(evaluateExpression(expression)).toEqual({ ok: true, value: expected });
  });

  it("floating point is IEEE double, not decimal", () => {
    expect(evaluateExpression("0.1 + 0.2")).toEqual({ ok: true, value: 0.30000000000000004 });
  });

  it.each([
    ["rounds to the owner's precision", "0.1 + 0.2", 2, 0.3],
    ["rounds half away from zero", "1.005", 2, 1.01],
    ["rounds negatives symmetrically", "-2.5", 0, -3],
    ["precision 0 gives a whole number", "10 / 3", 0, 3],
    ["precision 12", "1 / 3", 12, 0.333333333333],
    ["large values are left alone", "2 ^ 60", 4, 2 ** 60],
  ])("%s", (_name, expression, precision, expected) => {
    expect(evaluateExpression(expression, { precision })).toEqual({ ok: true, value: expected });
  });

  it.each([[-1], [13], [1.5], [Number.NaN]])("refuses precision %s", (precision) => {
    expect(evaluateExpression("1", { precision })).toEqual({ ok: false, error: "Precision must be a whole number from 0 to 12" });
  });
});

describe("evaluateExpression: errors say what and where", () => {
  it.each([
    ["empty input", "", "Expression is empty", undefined],
    ["only spaces", "   ", "Expression is empty", undefined],
    ["division by zero", "1 / 0", "Division by zero at position 3", 3],
    ["division by a zero expression", "5 / (2 - 2)", "Division by zero at position 3", 3],
    ["remainder by zero", "5 % 0", "Division by zero at position 3", 3],
    ["zero divided by zero", "0/0", "Division by zero at position 2", 2],
    ["overflowing multiplication", "1e308 * 10", "Multiplication at position 7 is too large (overflow)", 7],
    ["overflowing power", "10 ^ 400", "Power at position 4 is too large (overflow)", 4],
    ["a literal too large", "1e999", "Number too large at position 1", 1],
    ["an even root of a negative", "(-8) ^ 0.5", "Power at position 6 is not a real number", 6],
    ["sqrt of a negative", "sqrt(-1)", "Result of sqrt at position 1 is not a real number", 1],
    ["log of zero", "1 + log(0)", "Result of log at position 5 is too large (overflow)", 5],
    ["a trailing operator", "1 +", "Unexpected end of expression: expected a number, a name or \"(\"", 4],
    ["two operators", "1 + * 2", "Expected a number, a name or \"(\" at position 5, found \"* 2\"", 5],
    ["an unclosed parenthesis", "(1 + 2", "Unexpected end of expression: expected \")\" to close the \"(\" at position 1", 7],
    ["an extra closing parenthesis", "1 + 2)", "Expected an operator at position 6, found \")\"", 6],
    ["empty parentheses", "()", "Expected a number, a name or \"(\" at position 2, found \")\"", 2],
    ["implicit multiplication", "2(3)", "Expected an operator at position 2, found \"(3)\"", 2],
    ["a number followed by e", "2e", "Expected an operator at position 2, found \"e\"", 2],
    ["a malformed number", "1.2.3", "Malformed number at position 1: \"1.2.3\"", 1],
    ["a lone dot", "1 + .", "Unexpected character \".\" at position 5", 5],
    ["a function without parentheses", "sqrt 4", "Expected \"(\" after sqrt at position 6, found \"4\"", 6],
    ["a constant called as a function", "pi(2)", "\"pi\" at position 1 is a constant, not a function", 1],
    ["too few arguments", "sqrt()", "sqrt at position 1 takes 1 argument, got 0", 1],
    ["too many arguments", "abs(1, 2)", "abs at position 1 takes 1 argument, got 2", 1],
    ["min with nothing", "min()", "min at position 1 takes 1 to 32 arguments, got 0", 1],
    ["a comma outside a call", "1, 2", "Expected an operator at position 2, found \", 2\"", 2],
    ["an unknown function", "foo(1)", "Unknown name \"foo\" at position 1", 1],
    ["a double star", "2 ** 3", "Expected a number, a name or \"(\" at position 4, found \"* 3\"", 4],
  ])("%s", (_name, expression, error, position) => {
    expect(evaluateExpression(expression)).toEqual(position === undefined ? { ok: false, error } : { ok: false, error, position });
  });

  it("refuses a non-string", () => {
    expect(evaluateExpression(42)).toEqual({ ok: false, error: "Expression must be a string" });
    expect(evaluateExpression({ toString: () => "1+1" })).toEqual({ ok: false, error: "Expression must be a string" });
  });

  it("quotes at most a short snippet of the input", () => {
    const result = evaluateExpression(`1 + * ${"9".repeat(200)}`);
    expect(result).toEqual({ ok: false, error: `Expected a number, a name or "(" at position 5, found "* ${"9".repeat(14)}…"`, position: 5 });
  });

  it("quotes at most a short snippet of an unknown name", () => {
    const result = evaluateExpression(`${"a".repeat(100)}`);
    expect(result).toEqual({ ok: false, error: `Unknown name "${"a".repeat(16)}…" at position 1`, position: 1 });
  });
});

describe("evaluateExpression: limits", () => {
  it("accepts exactly 500 characters", () => {
    const expression = `${" ".repeat(497)}1+1`;
    expect(expression).toHaveLength(500);
    expect(evaluateExpression(expression)).toEqual({ ok: true, value: 2 });
  });

  it("refuses 501 characters before reading them", () => {
    expect(evaluateExpression("1".repeat(501))).toEqual({ ok: false, error: "Expression is too long (501 characters, at most 500)" });
  });

  it("refuses a megabyte of input", () => {
    expect(evaluateExpression("(".repeat(1_000_000))).toEqual({ ok: false, error: "Expression is too long (1000000 characters, at most 500)" });
  });

  it("accepts 50 levels of parentheses", () => {
    expect(evaluateExpression(`${"(".repeat(50)}7${")".repeat(50)}`)).toEqual({ ok: true, value: 7 });
  });

  it("refuses 51 levels of parentheses", () => {
    expect(evaluateExpression(`${"(".repeat(51)}7${")".repeat(51)}`)).toEqual({
      ok: false,
      error: "Expression is nested too deeply (more than 50 levels) at position 51",
      position: 51,
    });
  });

  it.each([
    ["unary signs", `${"-".repeat(60)}1`, 51],
    ["powers", `${"2^".repeat(60)}1`, 102],
    ["function calls", `${"abs(".repeat(60)}1${")".repeat(60)}`, 201],
  ])("bounds the depth of nested %s", (_name, expression, position) => {
    expect(evaluateExpression(expression)).toEqual({
      ok: false,
      error: `Expression is nested too deeply (more than 50 levels) at position ${position}`,
      position,
    });
  });

  it("bounds the number of tokens", () => {
    expect(CALCULATOR_LIMITS.maxTokens).toBe(256);
    expect(evaluateExpression(Array(128).fill("1").join("+"))).toEqual({ ok: true, value: 128 });
    expect(evaluateExpression(Array(129).fill("1").join("+"))).toEqual({
      ok: false,
      error: "Expression has too many parts (more than 256)",
      position: 257,
    });
  });

  it("bounds the arguments of min and max", () => {
    expect(evaluateExpression(`max(${Array(32).fill("1").join(",")})`)).toEqual({ ok: true, value: 1 });
    expect(evaluateExpression(`max(${Array(33).fill("1").join(",")})`)).toEqual({
      ok: false,
      error: "max at position 1 takes 1 to 32 arguments, got 33",
      position: 1,
    });
  });
});

describe("evaluateExpression: attacks are refused as text, never run", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ["constructor", "constructor", "Unknown name \"constructor\" at position 1", 1],
    ["__proto__", "__proto__", "Unknown name \"__proto__\" at position 1", 1],
    ["a property chain", "sqrt.constructor", "Unexpected character \".\" at position 5", 5],
    ["constructor of a constant", "pi.constructor(\"return 1\")()", "Unexpected character \".\" at position 3", 3],
    ["process.exit()", "process.exit()", "Unknown name \"process\" at position 1", 1],
    ["this", "this", "Unknown name \"this\" at position 1", 1],
    ["globalThis", "globalThis", "Unknown name \"globalThis\" at position 1", 1],
    ["eval", "eval(\"1\")", "Unknown name \"eval\" at position 1", 1],
    ["Function", "Function(\"return process\")()", "Unknown name \"Function\" at position 1", 1],
    ["a template string", "`${1+1}`", "Unexpected character \"`\" at position 1", 1],
    ["a string literal", "\"1\" + 1", "Unexpected character \"\"\" at position 1", 1],
    ["a single-quoted string", "'a'", "Unexpected character \"'\" at position 1", 1],
    ["an arrow function", "(() => 1)()", "Unexpected character \"=\" at position 5", 5],
    ["an assignment", "x = 1", "Unknown name \"x\" at position 1", 1],
    ["a statement separator", "1; 2", "Unexpected character \";\" at position 2", 2],
    ["a with statement", "with (Math) sqrt(4)", "Unknown name \"with\" at position 1", 1],
    ["an object literal", "{}", "Unexpected character \"{\" at position 1", 1],
    ["an array index", "[1][0]", "Unexpected character \"[\" at position 1", 1],
    ["a comment", "1 /* x */", "Unknown name \"x\" at position 6", 6],
    ["a comment around numbers", "1 /* 2 */", "Expected a number, a name or \"(\" at position 4, found \"* 2 */\"", 4],
    ["a hex literal", "0x10", "Unknown name \"x10\" at position 2", 2],
    ["Infinity", "Infinity", "Unknown name \"Infinity\" at position 1", 1],
    ["NaN", "NaN", "Unknown name \"NaN\" at position 1", 1],
    ["a unicode minus", "1 \u2212 1", "Unexpected character \"\u2212\" at position 3", 3],
    ["a NUL byte", "1\u0000", "Unexpected character \"\u0000\" at position 2", 2],
    ["toString", "toString()", "Unknown name \"toString\" at position 1", 1],
    ["hasOwnProperty", "hasOwnProperty(1)", "Unknown name \"hasOwnProperty\" at position 1", 1],
  ])("%s", (_name, expression, error, position) => {
    expect(evaluateExpression(expression)).toEqual({ ok: false, error, position });
  });

  it("never reaches process.exit", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("process.exit was called");
    });
    expect(evaluateExpression("process.exit()").ok).toBe(false);
    expect(exit).not.toHaveBeenCalled();
  });
});

describe("calculator schemas", () => {
  it("configures only the precision", () => {
    expect(configSchema).toEqual({
      type: "object",
      properties: { precision: { type: "integer", minimum: 0, maximum: 12 } },
      additionalProperties: false,
    });
  });

  it("takes one expression of at most 500 characters", () => {
    expect(inputSchema).toEqual({
      type: "object",
      properties: { expression: { type: "string", maxLength: 500 } },
      required: ["expression"],
      additionalProperties: false,
    });
    expect(inputSchema.properties.expression.maxLength).toBe(CALCULATOR_LIMITS.maxChars);
  });
});
