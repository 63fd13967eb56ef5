/**
 * The run-time side of the WebAssembly AES engine (aes-wasm-code.ts): builds the T-tables
 * (FIPS 197 §5.1.1 S-box, MixColumns folded in), compiles the module once per worker,
 * and offers ECB, the §13 XEX memory cipher and CTR over caller buffers. Keys arrive as
 * noble's expanded schedules (`Aes128Key.encKey` / `decKeySchedule`), so there is one
 * key expansion in the lab, and the outputs are byte-identical to noble's (tested).
 *
 * Synchronous on purpose: the firmware's mailbox is synchronous, and a 4 KiB page costs
 * microseconds here, so the PSP uses this engine inline. Where WebAssembly is missing
 * (or compiling fails) {@link WasmAes.shared} is undefined and callers keep to noble.
 * Data is copied through a 48 KiB window of the module's memory.
 */
import { platformWebAssembly, type WasmMemoryLike } from '../platform-api.js';
import { aesWasmModule, WASM_COUNTER, WASM_DATA, WASM_DEC_KEY, WASM_ENC_KEY, WASM_INV_SBOX, WASM_SBOX, WASM_TD, WASM_TE, WASM_TWEAK } from './aes-wasm-code.js';

/** Bytes processed per call into the module (the data window). */
const WINDOW = 48 * 1024;
const KEY_WORDS = 44;

type AesFn = (src: number, dst: number, blocks: number) => void;

function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
}

function gmul(a: number, b: number): number {
  let r = 0;
  for (let x = a, y = b; y !== 0; y >>>= 1, x = xtime(x)) if (y & 1) r ^= x;
  return r;
}

/** The AES S-box (multiplicative inverse in GF(2^8), then the affine map) and its inverse. */
function sboxes(): { sbox: Uint8Array; inv: Uint8Array } {
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++, x ^= xtime(x)) {
    exp[i] = x;
    log[x] = i;
  }
  const sbox = new Uint8Array(256);
  const inv = new Uint8Array(256);
  for (let a = 0; a < 256; a++) {
    const b = a === 0 ? 0 : exp[(255 - log[a]) % 255];
    const rot = (n: number) => ((b << n) | (b >>> (8 - n))) & 0xff;
    const s = b ^ rot(1) ^ rot(2) ^ rot(3) ^ rot(4) ^ 0x63;
    sbox[a] = s;
    inv[s] = a;
  }
  return { sbox, inv };
}

/** Four T-tables in noble's little-endian layout: T0 from `word(s)`, T1..T3 its byte rotations. */
function writeTables(mem32: Uint32Array, at: number, box: Uint8Array, word: (s: number) => number): void {
  const base = at / 4;
  for (let j = 0; j < 256; j++) {
    const w = word(box[j]) >>> 0;
    mem32[base + j] = w;
    mem32[base + 256 + j] = ((w << 8) | (w >>> 24)) >>> 0;
    mem32[base + 512 + j] = ((w << 16) | (w >>> 16)) >>> 0;
    mem32[base + 768 + j] = ((w << 24) | (w >>> 8)) >>> 0;
  }
}

let shared: WasmAes | undefined | null = null;
let enabled = true;

/**
 * Turns the engine off (`false`: every caller falls back to noble) or on again — for the
 * tests that compare both implementations and for the bench's raw figures.
 */
export function setWasmAesEnabled(on: boolean): void {
  enabled = on;
}

/** AES-128 in WebAssembly over caller buffers. */
export class WasmAes {
  private readonly mem8: Uint8Array;
  private readonly mem32: Uint32Array;
  private readonly fns: Record<'ecb_enc' | 'ecb_dec' | 'xex_enc' | 'xex_dec' | 'ctr', AesFn>;

  private constructor(memory: WasmMemoryLike, fns: WasmAes['fns']) {
    this.mem8 = new Uint8Array(memory.buffer);
    this.mem32 = new Uint32Array(memory.buffer);
    this.fns = fns;
    const { sbox, inv } = sboxes();
    this.mem8.set(sbox, WASM_SBOX);
    this.mem8.set(inv, WASM_INV_SBOX);
    writeTables(this.mem32, WASM_TE, sbox, (s) => (gmul(s, 3) << 24) | (s << 16) | (s << 8) | gmul(s, 2));
    writeTables(this.mem32, WASM_TD, inv, (s) => (gmul(s, 11) << 24) | (gmul(s, 13) << 16) | (gmul(s, 9) << 8) | gmul(s, 14));
  }

  /** The worker's engine (compiled on first use), or undefined without WebAssembly or when disabled. */
  static shared(): WasmAes | undefined {
    if (!enabled) return undefined;
    if (shared === null) shared = WasmAes.compile();
    return shared;
  }

  private static compile(): WasmAes | undefined {
    const wasm = platformWebAssembly();
    if (!wasm) return undefined;
    try {
      const instance = new wasm.Instance(new wasm.Module(aesWasmModule()), {});
      const x = instance.exports;
      const fns = { ecb_enc: x.ecb_enc, ecb_dec: x.ecb_dec, xex_enc: x.xex_enc, xex_dec: x.xex_dec, ctr: x.ctr } as WasmAes['fns'];
      return new WasmAes(x.memory as WasmMemoryLike, fns);
    } catch {
      // e.g. a main thread that forbids synchronous compilation: stay with noble.
      return undefined;
    }
  }

  /** ECB over whole blocks of `src` into `dst` (may be `src`); `xk` is the schedule for the direction. */
  ecb(encrypt: boolean, xk: Uint32Array, src: Uint8Array, dst: Uint8Array): void {
    this.loadKey(encrypt, xk);
    this.run(encrypt ? this.fns.ecb_enc : this.fns.ecb_dec, src, dst);
  }

  /**
   * The §13 memory cipher over whole blocks: `tweak` (4 little-endian words) is the first
   * block's tweak, advanced by one doubling per block (returned in `tweak`).
   */
  xex(encrypt: boolean, xk: Uint32Array, tweak: Uint32Array, src: Uint8Array, dst: Uint8Array): void {
    this.loadKey(encrypt, xk);
    this.mem32.set(tweak, WASM_TWEAK / 4);
    this.run(encrypt ? this.fns.xex_enc : this.fns.xex_dec, src, dst);
    tweak.set(this.mem32.subarray(WASM_TWEAK / 4, WASM_TWEAK / 4 + 4));
  }

  /**
   * AES-CTR over the whole blocks of `src` (its length must be a multiple of 16) with
   * `counter` as the first counter block (128-bit big-endian; advanced in place).
   */
  ctr(xkEnc: Uint32Array, counter: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
    this.loadKey(true, xkEnc);
    this.mem8.set(counter, WASM_COUNTER);
    this.run(this.fns.ctr, src, dst);
    counter.set(this.mem8.subarray(WASM_COUNTER, WASM_COUNTER + 16));
  }

  private loadKey(encrypt: boolean, xk: Uint32Array): void {
    if (xk.length !== KEY_WORDS) throw new RangeError('the WebAssembly engine does AES-128 only');
    this.mem32.set(xk, (encrypt ? WASM_ENC_KEY : WASM_DEC_KEY) / 4);
  }

  private run(fn: AesFn, src: Uint8Array, dst: Uint8Array): void {
    if (src.length % 16 !== 0) throw new RangeError(`length ${src.length} is not a multiple of 16`);
    for (let off = 0; off < src.length; off += WINDOW) {
      const n = Math.min(WINDOW, src.length - off);
      this.mem8.set(n === src.length ? src : src.subarray(off, off + n), WASM_DATA);
      fn(WASM_DATA, WASM_DATA, n >>> 4);
      dst.set(this.mem8.subarray(WASM_DATA, WASM_DATA + n), off);
    }
  }
}
