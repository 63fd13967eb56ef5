/**
 * A very small WebAssembly (MVP, binary format 1) assembler: just enough to build the
 * PSP's AES engine (aes-wasm-code.ts) at run time from readable TypeScript, so the lab
 * ships no opaque binary blob. It knows i32/i64 locals, loads and stores with static
 * offsets, integer arithmetic and rotations, `block`/`loop`/`br_if`, one linear memory, exported
 * functions of type `(i32...) -> ()`.
 *
 * The format is the WebAssembly Core Specification's §5 (binary format): a module is the
 * magic and version, then sections (id, byte length, contents); integers are LEB128.
 */

/** Value types (spec §5.3.1). */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A function body under construction: append instructions with the methods, in stack order. */
export class Code {
  readonly bytes: number[] = [];

  private op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...uleb(local));
  }
  i32(v: number): this {
    return this.op(0x41, ...sleb(v));
  }
  /** i32.load with a static byte offset (alignment hint 4). */
  load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  /** i32.load8_u with a static byte offset. */
  load8(offset = 0): this {
    return this.op(0x2d, 0, ...uleb(offset));
  }
  /** i64.load with a static byte offset. */
  load64(offset = 0): this {
    return this.op(0x29, 3, ...uleb(offset));
  }
  /** i32.store [addr, value] with a static byte offset. */
  store(offset = 0): this {
    return this.op(0x36, 2, ...uleb(offset));
  }
  /** i64.store [addr, value] with a static byte offset. */
  store64(offset = 0): this {
    return this.op(0x37, 3, ...uleb(offset));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  and(): this {
    return this.op(0x71);
  }
  or(): this {
    return this.op(0x72);
  }
  xor(): this {
    return this.op(0x73);
  }
  shl(): this {
    return this.op(0x74);
  }
  shrU(): this {
    return this.op(0x76);
  }
  rotl(): this {
    return this.op(0x77);
  }
  rotr(): this {
    return this.op(0x78);
  }
  eqz(): this {
    return this.op(0x45);
  }
  i64Xor(): this {
    return this.op(0x85);
  }
  i64Or(): this {
    return this.op(0x84);
  }
  i64And(): this {
    return this.op(0x83);
  }
  i64Shl(): this {
    return this.op(0x86);
  }
  i64ShrU(): this {
    return this.op(0x88);
  }
  i64ShrS(): this {
    return this.op(0x87);
  }
  i64Const(v: number): this {
    return this.op(0x42, ...sleb(v));
  }
  /** i32.wrap_i64: the low 32 bits. */
  wrap(): this {
    return this.op(0xa7);
  }
  /** `block` … `end` with no result. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  /** `loop` … `end` with no result. */
  loop(): this {
    return this.op(0x03, 0x40);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  end(): this {
    return this.op(0x0b);
  }
}

/** One exported function: `params` i32 parameters, extra locals by type, and its body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  readonly locals: { readonly type: number; readonly count: number }[];
  readonly code: Code;
}

/**
 * A module with one memory of `memoryPages` 64 KiB pages (exported as `memory`) and the
 * given functions, each of type `(i32 × params) -> ()` and exported under its name.
 */
export function assembleModule(functions: readonly WasmFunction[], memoryPages: number): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...vec(Array.from({ length: n }, () => [I32])), 0]);
  const funcs = functions.map((f) => uleb(arities.indexOf(f.params)));
  const exports = [...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, 0]];
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map((l) => [...uleb(l.count), l.type])), ...f.code.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(funcs)),
    ...section(5, vec([[0x00, ...uleb(memoryPages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
