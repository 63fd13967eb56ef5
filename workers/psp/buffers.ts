/**
 * A command buffer as the firmware holds it: the packed little-endian bytes of reference
 * §5, copied from host memory into PSP-private memory before the handler runs and copied
 * back afterwards if the dispatcher says so (§1, command-table.ts `BufferMode`).
 *
 * Handlers read and write fields by offset (the offsets are §5's, named in each handler);
 * the script runner and the event summaries go by field name through the command table.
 * 64-bit fields are bigints so no address is ever rounded.
 */
import { type BufferField, type CommandSpec } from './command-table.js';

/** The PSP-private copy of one command buffer. */
export class CommandBuffer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  /** A buffer over `bytes` (not copied), or a zeroed one of `size` bytes. */
  constructor(bytesOrSize: Uint8Array | number) {
    this.bytes = typeof bytesOrSize === 'number' ? new Uint8Array(bytesOrSize) : bytesOrSize;
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  u8(off: number): number {
    return this.view.getUint8(off);
  }

  u16(off: number): number {
    return this.view.getUint16(off, true);
  }

  u32(off: number): number {
    return this.view.getUint32(off, true);
  }

  u64(off: number): bigint {
    return this.view.getBigUint64(off, true);
  }

  setU8(off: number, v: number): void {
    this.view.setUint8(off, v & 0xff);
  }

  setU16(off: number, v: number): void {
    this.view.setUint16(off, v & 0xffff, true);
  }

  setU32(off: number, v: number): void {
    this.view.setUint32(off, v >>> 0, true);
  }

  setU64(off: number, v: bigint): void {
    this.view.setBigUint64(off, BigInt.asUintN(64, v), true);
  }

  /** Reads a field of any width; 64-bit fields as bigint. */
  get(field: BufferField): number | bigint {
    switch (field.width) {
      case 1:
        return this.u8(field.offset);
      case 2:
        return this.u16(field.offset);
      case 4:
        return this.u32(field.offset);
      case 8:
        return this.u64(field.offset);
    }
  }

  /** Writes a field of any width (the value is truncated to the field's width). */
  set(field: BufferField, v: number | bigint): void {
    switch (field.width) {
      case 1:
        return this.setU8(field.offset, Number(BigInt.asUintN(8, BigInt(v))));
      case 2:
        return this.setU16(field.offset, Number(BigInt.asUintN(16, BigInt(v))));
      case 4:
        return this.setU32(field.offset, Number(BigInt.asUintN(32, BigInt(v))));
      case 8:
        return this.setU64(field.offset, BigInt(v));
    }
  }
}

/** The field `name` of command `spec`, if it has one. */
export function fieldOf(spec: CommandSpec, name: string): BufferField | undefined {
  return spec.fields.find((x) => x.name === name);
}

/** A u64 as a number when it is a safe integer, else undefined (never RAM). */
export function addrToNumber(a: bigint): number | undefined {
  return a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : undefined;
}
