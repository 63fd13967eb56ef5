/**
 * HMP's integer expression parser for address arguments (QEMU monitor/hmp.c `get_expr`):
 * numbers as C's strtoull with base 0 (`0x..` hex, leading `0` octal, else decimal),
 * unary `+ - ~`, `( )`, `* / %`, `& | ^`, `+ -`, with QEMU's error messages
 * ("invalid char 'z' in expression", "unexpected end of expression", "')' expected",
 * "division by zero", "number too large"). Registers (`$pc`) are not modelled:
 * "unknown register". Values are 64-bit (bigint, wrapping as int64_t does).
 */

/** A parse failure with QEMU's message. */
export class ExprError extends Error {}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Parses an expression at the start of `s`; returns the value and the rest of the line. */
export function parseExpr(s: string): { value: bigint; rest: string } {
  let i = 0;
  const peek = (): string => s[i] ?? '';
  const skip = (): void => {
    while (isSpace(peek())) i++;
  };
  const next = (): void => {
    if (peek() !== '') i++;
    skip();
  };
  const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
  const unary = (): bigint => {
    const c = peek();
    if (c === '+') return next(), unary();
    if (c === '-') return next(), wrap(-unary());
    if (c === '~') return next(), wrap(~unary());
    if (c === '(') {
      next();
      const v = sum();
      if (peek() !== ')') throw new ExprError("')' expected");
      next();
      return v;
    }
    if (c === "'") {
      i++;
      if (peek() === '') throw new ExprError('character constant expected');
      const v = BigInt(peek().charCodeAt(0));
      i++;
      if (peek() !== "'") throw new ExprError("missing terminating ' character");
      next();
      return v;
    }
    if (c === '$') throw new ExprError('unknown register');
    if (c === '') throw new ExprError('unexpected end of expression');
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(i));
    if (!m) throw new ExprError(`invalid char '${c}' in expression`);
    const t = m[0];
    const v = t.length > 1 && t[0] === '0' && (t[1] === 'x' || t[1] === 'X') ? BigInt(t) : t[0] === '0' && t.length > 1 ? BigInt(`0o${t.slice(1)}`) : BigInt(t);
    if (v > (1n << 64n) - 1n) throw new ExprError('number too large');
    i += t.length;
    skip();
    return wrap(v);
  };
  const prod = (): bigint => {
    let v = unary();
    for (;;) {
      const op = peek();
      if (op !== '*' && op !== '/' && op !== '%') return v;
      next();
      const w = unary();
      if (op === '*') v = wrap(v * w);
      else {
        if (w === 0n) throw new ExprError('division by zero');
        v = op === '/' ? v / w : v % w;
      }
    }
  };
  const logic = (): bigint => {
    let v = prod();
    for (;;) {
      const op = peek();
      if (op !== '&' && op !== '|' && op !== '^') return v;
      next();
      const w = prod();
      v = op === '&' ? v & w : op === '|' ? v | w : v ^ w;
    }
  };
  const sum = (): bigint => {
    let v = logic();
    for (;;) {
      const op = peek();
      if (op !== '+' && op !== '-') return v;
      next();
      const w = logic();
      v = wrap(op === '+' ? v + w : v - w);
    }
  };
  skip();
  const value = sum();
  return { value, rest: s.slice(i) };
}
