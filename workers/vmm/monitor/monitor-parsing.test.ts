import { describe, expect, it } from 'vitest';
import { ExprError, parseExpr } from './expr.js';
import { memoryDump, virtToPhys } from './memory-dump.js';

describe('HMP expressions (QEMU get_expr)', () => {
  it.each([
    ['0x1000', 0x1000n],
    ['010', 8n],
    ['42', 42n],
    ['0x10 + 2 * 3', 0x16n],
    ['(1 + 2) * 3', 9n],
    ['0xff & 0x0f | 0x100', 0x10fn],
    ['-1', -1n],
    ['~0', -1n],
    ["'A'", 65n],
    ['0xffffffffffffffff', -1n],
    ['7 % 4', 3n],
  ])('%s = %s', (text, value) => {
    expect(parseExpr(text).value).toBe(value);
  });

  it('returns what follows the expression', () => {
    expect(parseExpr('0x10 rest of line')).toEqual({ value: 16n, rest: 'rest of line' });
  });

  it.each([
    ['', 'unexpected end of expression'],
    ['zz', "invalid char 'z' in expression"],
    ['(1 + 2', "')' expected"],
    ['4 / 0', 'division by zero'],
    ['$pc', 'unknown register'],
    ['0x10000000000000000', 'number too large'],
  ])('refuses %j with QEMU\'s message', (text, message) => {
    expect(() => parseExpr(text)).toThrow(ExprError);
    expect(() => parseExpr(text)).toThrow(message);
  });
});

describe('x / xp memory dumps (QEMU memory_dump)', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 5) & 0xff);
  const read = (addr: bigint, len: number) => (addr + BigInt(len) <= 64n ? bytes.slice(Number(addr), Number(addr) + len) : undefined);

  it('prints 32-bit hex words four to a 16-byte line', () => {
    expect(memoryDump({ count: 4, format: 'x', size: 4 }, 0n, true, read)).toEqual([
      '0000000000000000: 0x744f2a05 0x08e3be99 0x9c77522d 0x300be6c1',
    ]);
  });

  it('prints bytes eight to a line, and characters quoted', () => {
    expect(memoryDump({ count: 2, format: 'x', size: 1 }, 0n, true, read)).toEqual(['0000000000000000: 0x05 0x2a']);
    expect(memoryDump({ count: 3, format: 'c', size: 1 }, 0n, true, read)).toEqual(["0000000000000000: '\\x05' '*' 'O'"]);
  });

  it('pads decimal and octal to the width of the unit', () => {
    expect(memoryDump({ count: 1, format: 'u', size: 2 }, 0n, true, read)).toEqual(['0000000000000000: 10757']);
    expect(memoryDump({ count: 1, format: 'o', size: 1 }, 0n, true, read)).toEqual(['0000000000000000:  05']);
  });

  it('ends with "Cannot access memory" where the read fails', () => {
    expect(memoryDump({ count: 8, format: 'x', size: 8 }, 48n, true, read)).toEqual([
      '0000000000000030: 0xf8d3ae89643f1af5 0x20fbd6b18c67421d',
      '0000000000000040: Cannot access memory',
    ]);
  });

  it('maps the kernel direct map and text mapping to guest-physical addresses', () => {
    expect(virtToPhys(0xffff888000001000n)).toBe(0x1000);
    expect(virtToPhys(0xffffffff81000000n)).toBe(0x1000000);
    expect(virtToPhys(0x400000n)).toBeUndefined();
  });
});
