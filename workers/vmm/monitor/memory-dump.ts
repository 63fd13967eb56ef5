/**
 * `x /fmt addr` and `xp /fmt addr` (QEMU monitor/hmp-cmds-target.c `memory_dump`): what
 * the hypervisor reads — raw DRAM bytes, i.e. ciphertext for private pages and plaintext
 * for shared ones. Output as QEMU prints it: a line per 16 bytes (8 for byte units),
 * `%016x:` address, then each unit: `x` as `0x%0*x`, `o` as `%#*o`, `u` / `d` as
 * `%*u` / `%*d`, `c` as a quoted character; a line that cannot be read ends the dump
 * with " Cannot access memory".
 *
 * [U] lab choices: `x` takes guest-virtual addresses of the kernel's direct map
 * (0xffff888000000000 + gpa) and kernel text mapping (0xffffffff80000000 + gpa) as if the
 * page walk had succeeded; other virtual addresses cannot be read. Format `i`
 * (disassembly) is not modelled.
 */

/** A parsed `/fmt`. */
export interface DumpFormat {
  count: number;
  format: string;
  size: number;
}

const PAGE_OFFSET = 0xffff888000000000n;
const START_KERNEL_MAP = 0xffffffff80000000n;

/** The guest-physical address behind a lab virtual address, or undefined. */
export function virtToPhys(va: bigint): number | undefined {
  const v = BigInt.asUintN(64, va);
  if (v >= START_KERNEL_MAP) return Number(v - START_KERNEL_MAP);
  if (v >= PAGE_OFFSET && v < PAGE_OFFSET + (1n << 46n)) return Number(v - PAGE_OFFSET);
  return undefined;
}

function printc(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x5c) return "'\\\\'";
  if (c === 0x0a) return "'\\n'";
  if (c === 0x0d) return "'\\r'";
  if (c >= 32 && c <= 126) return `'${String.fromCharCode(c)}'`;
  return `'\\x${c.toString(16).padStart(2, '0')}'`;
}

/** Dumps memory; `read(addr, len)` returns the bytes or undefined when they cannot be read. */
export function memoryDump(f: DumpFormat, addr: bigint, physical: boolean, read: (addr: bigint, len: number) => Uint8Array | undefined): string[] {
  let wsize = f.size;
  const lineSize = wsize === 1 ? 8 : 16;
  let maxDigits = 0;
  switch (f.format) {
    case 'o':
      maxDigits = Math.ceil((wsize * 8) / 3);
      break;
    case 'u':
    case 'd':
      maxDigits = Math.ceil((wsize * 8 * 10) / 33);
      break;
    case 'c':
      wsize = 1;
      break;
    default:
      maxDigits = (wsize * 8) / 4;
  }
  const out: string[] = [];
  let len = f.size * f.count;
  let a = BigInt.asUintN(64, addr);
  while (len > 0) {
    let line = `${a.toString(16).padStart(16, '0')}:`;
    const l = Math.min(len, lineSize);
    const buf = read(a, l);
    if (!buf) {
      out.push(`${line} Cannot access memory`);
      break;
    }
    for (let i = 0; i < l; i += wsize) {
      let v = 0n;
      for (let k = wsize - 1; k >= 0; k--) v = (v << 8n) | BigInt(buf[i + k] ?? 0);
      line += ' ';
      if (f.format === 'o') line += (v === 0n ? '0' : `0${v.toString(8)}`).padStart(maxDigits, ' ');
      else if (f.format === 'u') line += v.toString().padStart(maxDigits, ' ');
      else if (f.format === 'd') line += BigInt.asIntN(64, v).toString().padStart(maxDigits, ' ');
      else if (f.format === 'c') line += printc(Number(v));
      else line += `0x${v.toString(16).padStart(maxDigits, '0')}`;
    }
    out.push(line);
    a = BigInt.asUintN(64, a + BigInt(l));
    len -= l;
  }
  void physical;
  return out;
}
