/**
 * Host memory and the memory controller (reference §13): sparse RAM ranges, accesses that
 * fail instead of throwing, the C-bit path through an ASID's key slot, and unaligned
 * read-modify-write through the §13 cipher.
 */
import { describe, expect, it } from 'vitest';
import { MemoryCipher } from '../crypto/index.js';
import { HostMemory } from './host-memory.js';
import { MemoryController } from './memory-controller.js';

describe('HostMemory', () => {
  it('is sparse: untouched pages read as zeros and cost nothing; zeros into an untouched page allocate nothing', () => {
    const m = new HostMemory([{ base: 0x10000, size: 1 << 30 }]);
    expect(m.read(0x10000 + 123456789, 8)).toEqual(new Uint8Array(8));
    expect(m.write(0x20000, new Uint8Array(4096))).toBe(true);
    expect(m.allocatedPages()).toBe(0);
    expect(m.write(0x20ffe, Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect(m.allocatedFrames()).toEqual([0x20, 0x21]);
    expect(m.read(0x20ffd, 6)).toEqual(Uint8Array.of(0, 1, 2, 3, 4, 0));
  });

  it('refuses spans that are not wholly RAM (no partial writes), and bad ranges', () => {
    const m = new HostMemory([{ base: 0x1000, size: 0x1000 }, { base: 0x2000, size: 0x1000 }, { base: 0x5000, size: 0x1000 }]);
    expect(m.contains(0x1000, 0x2000)).toBe(true);
    expect(m.contains(0x2ff0, 0x20)).toBe(false);
    expect(m.contains(0x3000, 0)).toBe(true);
    expect(m.write(0x2ff8, new Uint8Array(16).fill(9))).toBe(false);
    expect(m.read(0x2ff8, 8)).toEqual(new Uint8Array(8));
    expect(m.read(-16, 8)).toBeUndefined();
    expect(m.read(2 ** 60, 8)).toBeUndefined();
    expect(m.read(0x1000, 0.5)).toBeUndefined();
    expect(m.addRange(0x2800, 0x1000)).toBe(false);
    expect(m.addRange(0x7001, 0x1000)).toBe(false);
    expect(m.ramRanges()).toHaveLength(3);
  });
});

describe('MemoryController', () => {
  const setup = () => {
    const mem = new HostMemory([{ base: 0x100000, size: 0x100000 }]);
    const mc = new MemoryController(mem);
    const vek = new MemoryCipher(new Uint8Array(16).fill(0x11));
    mc.installKey(3, vek);
    return { mem, mc, vek };
  };

  it('C-bit accesses go through the key slot of the ASID; the host sees ciphertext that depends on the address', () => {
    const { mem, mc } = setup();
    const plain = new Uint8Array(32).fill(0xab);
    expect(mc.write(0x100000, plain, { asid: 3, encrypted: true })).toBe(true);
    expect(mc.write(0x100100, plain, { asid: 3, encrypted: true })).toBe(true);
    expect(mc.read(0x100000, 32, { asid: 3, encrypted: true })).toEqual(plain);
    const c1 = mem.read(0x100000, 32)!;
    expect(c1).not.toEqual(plain);
    expect(mem.read(0x100100, 32)).not.toEqual(c1);
    expect(mc.read(0x100000, 32)).toEqual(c1);
    expect(mc.read(0x100000, 32, { asid: 4, encrypted: true })).toBeUndefined();
    expect(mc.write(0x100000, plain, { asid: 4, encrypted: true })).toBe(false);
  });

  it('unaligned encrypted writes are read-modify-write of whole 16-byte blocks', () => {
    const { mc, vek } = setup();
    const base = new Uint8Array(64).map((_, i) => i);
    mc.writeWith(0x100040, base, vek);
    mc.writeWith(0x100047, Uint8Array.of(0xee, 0xff), vek);
    mc.writeWith(0x10005e, Uint8Array.of(1, 2, 3, 4), vek);
    const want = base.slice();
    want.set([0xee, 0xff], 7);
    want.set([1, 2, 3, 4], 30);
    expect(mc.readWith(0x100040, 64, vek)).toEqual(want);
    expect(mc.readWith(0x100049, 3, vek)).toEqual(want.slice(9, 12));
    expect(mc.writeWith(0x1ffff8, new Uint8Array(16), vek)).toBe(false);
  });
});
