/**
 * SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104) on the WebAssembly compression function
 * of sha256-wasm-code.ts: the padding, the length block and the two HMAC passes are here.
 * HMAC keys are absorbed once ({@link Sha256Wasm.hmacStates}: the states after the ipad
 * and opad blocks), so a packet MAC costs the message's blocks plus one outer block.
 * Outputs are byte-identical to @noble/hashes (tested), which stays the reference and the
 * fallback where WebAssembly is missing.
 */
import { platformWebAssembly, type WasmMemoryLike } from '../platform-api.js';
import { sha256WasmModule } from './sha256-wasm-code.js';

const STATE = 0;
const DATA = 64;
/** Bytes of message data the window holds before it is compressed (a multiple of 64). */
const WINDOW = 60 * 1024;
const BLOCK = 64;
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

type CompressFn = (state: number, data: number, blocks: number) => void;

let shared: Sha256Wasm | undefined | null = null;
let enabled = true;

/** Turns the engine off (callers fall back to noble) or on again — for tests and the bench. */
export function setWasmShaEnabled(on: boolean): void {
  enabled = on;
}

/** The keyed states of one HMAC key (inner after K ⊕ ipad, outer after K ⊕ opad). */
export interface HmacStates {
  readonly inner: Uint32Array;
  readonly outer: Uint32Array;
}

/** SHA-256 in WebAssembly. */
export class Sha256Wasm {
  private readonly mem8: Uint8Array;
  private readonly mem32: Uint32Array;

  private constructor(
    memory: WasmMemoryLike,
    private readonly compressFn: CompressFn,
  ) {
    this.mem8 = new Uint8Array(memory.buffer);
    this.mem32 = new Uint32Array(memory.buffer);
  }

  /** The worker's engine (compiled on first use), or undefined without WebAssembly or when disabled. */
  static shared(): Sha256Wasm | undefined {
    if (!enabled) return undefined;
    if (shared === null) {
      const wasm = platformWebAssembly();
      try {
        const x = wasm ? new wasm.Instance(new wasm.Module(sha256WasmModule()), {}).exports : undefined;
        shared = x ? new Sha256Wasm(x.memory as WasmMemoryLike, x.compress as CompressFn) : undefined;
      } catch {
        shared = undefined;
      }
    }
    return shared;
  }

  /** SHA-256 of the concatenation of `parts` into `out` (32 bytes). */
  digestInto(out: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
    return this.finish(Uint32Array.from(IV), 0, parts, out);
  }

  /** The keyed states of HMAC key `key` (hashed first when longer than a block, as RFC 2104 says). */
  hmacStates(key: Uint8Array): HmacStates {
    const k = new Uint8Array(BLOCK);
    k.set(key.length > BLOCK ? this.digestInto(new Uint8Array(32), key) : key);
    const pad = (v: number): Uint32Array => {
      const state = Uint32Array.from(IV);
      this.absorb(state, k.map((b) => b ^ v));
      return state;
    };
    const states = { inner: pad(0x36), outer: pad(0x5c) };
    k.fill(0);
    return states;
  }

  /** HMAC-SHA-256 of the concatenation of `parts` under keyed `states`, into `out` (32 bytes). */
  hmacInto(out: Uint8Array, states: HmacStates, ...parts: Uint8Array[]): Uint8Array {
    const inner = this.finish(states.inner.slice(), BLOCK, parts, out);
    return this.finish(states.outer.slice(), BLOCK, [inner], out);
  }

  /** Absorbs whole 64-byte blocks into `state`. */
  private absorb(state: Uint32Array, blocks: Uint8Array): void {
    this.mem32.set(state, STATE / 4);
    this.mem8.set(blocks, DATA);
    this.compressFn(STATE, DATA, blocks.length / BLOCK);
    state.set(this.mem32.subarray(STATE / 4, STATE / 4 + 8));
  }

  /**
   * Hashes `parts` on from `state` (which has absorbed `prefix` bytes already), pads with
   * the total length, and writes the digest (big-endian words) into `out`.
   */
  private finish(state: Uint32Array, prefix: number, parts: Uint8Array[], out: Uint8Array): Uint8Array {
    const m8 = this.mem8;
    this.mem32.set(state, STATE / 4);
    let fill = 0;
    let total = prefix;
    for (const p of parts) {
      let o = 0;
      while (o < p.length) {
        const take = Math.min(p.length - o, WINDOW - fill);
        m8.set(o === 0 && take === p.length ? p : p.subarray(o, o + take), DATA + fill);
        fill += take;
        o += take;
        if (fill === WINDOW) {
          this.compressFn(STATE, DATA, WINDOW / BLOCK);
          fill = 0;
        }
      }
      total += p.length;
    }
    // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit big-endian integer.
    m8[DATA + fill++] = 0x80;
    const end = fill + ((BLOCK + 56 - (fill % BLOCK)) % BLOCK) + 8;
    m8.fill(0, DATA + fill, DATA + end);
    const bits = total * 8;
    const hi = Math.floor(bits / 2 ** 32);
    for (let i = 0; i < 4; i++) {
      m8[DATA + end - 1 - i] = (bits >>> (8 * i)) & 0xff;
      m8[DATA + end - 5 - i] = (hi >>> (8 * i)) & 0xff;
    }
    this.compressFn(STATE, DATA, end / BLOCK);
    for (let i = 0; i < 8; i++) {
      const w = this.mem32[STATE / 4 + i];
      out[4 * i] = w >>> 24;
      out[4 * i + 1] = (w >>> 16) & 0xff;
      out[4 * i + 2] = (w >>> 8) & 0xff;
      out[4 * i + 3] = w & 0xff;
    }
    return out;
  }
}
