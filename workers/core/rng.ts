/**
 * The engine's seeded random number generator.
 *
 * A ChaCha20 keystream (from @noble/ciphers) keyed by SHA-256 of the seed: good enough
 * for key material in a teaching lab, and the same seed always gives the same bytes.
 * Components take their own stream with {@link SeededRng.fork} so that randomness drawn
 * by one component never shifts what another one sees: adding a nonce in the PSP does
 * not change the guest workload.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { bytesToHex, hexToBytes, utf8ToBytes as utf8 } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';

const BLOCK = 64;
const BLOCKS_PER_REFILL = 64;
const NONCE = new Uint8Array(12);

/** What a generator's position is, as JSON (for snapshots). */
export interface RngState {
  key: string;
  /** Bytes drawn so far. */
  drawn: number;
}

/** A deterministic byte and number source. */
export class SeededRng {
  private readonly key: Uint8Array;
  private buf = new Uint8Array(BLOCK * BLOCKS_PER_REFILL);
  private bufStart = -1;
  private drawn = 0;

  private constructor(key: Uint8Array) {
    this.key = key;
  }

  /** A generator for a run's seed (an integer or a string). */
  static fromSeed(seed: number | string): SeededRng {
    return new SeededRng(sha256(utf8(`kvm-lab/rng/${String(seed)}`)));
  }

  /** Restores a generator saved with {@link SeededRng.state}. */
  static restore(state: RngState): SeededRng {
    const rng = new SeededRng(hexToBytes(state.key));
    rng.drawn = state.drawn;
    return rng;
  }

  /** An independent stream named `label`; the same label always gives the same stream. */
  fork(label: string): SeededRng {
    const input = new Uint8Array(this.key.length + label.length * 4);
    input.set(this.key);
    const l = utf8(label);
    input.set(l, this.key.length);
    return new SeededRng(sha256(input.subarray(0, this.key.length + l.length)));
  }

  /** The position of this stream, for a snapshot. */
  state(): RngState {
    return { key: bytesToHex(this.key), drawn: this.drawn };
  }

  /** Bytes drawn so far (what {@link state} reports, without formatting the key). */
  get position(): number {
    return this.drawn;
  }

  /** A copy of this stream at its current position: draws from it do not move this one. */
  clone(): SeededRng {
    const c = new SeededRng(this.key);
    c.drawn = this.drawn;
    return c;
  }

  /** `n` fresh random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const blockBase = Math.floor(this.drawn / this.buf.length) * this.buf.length;
      if (blockBase !== this.bufStart) this.refill(blockBase);
      const at = this.drawn - blockBase;
      const take = Math.min(n - o, this.buf.length - at);
      out.set(this.buf.subarray(at, at + take), o);
      o += take;
      this.drawn += take;
    }
    return out;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const b = this.bytes(4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    if (!(hi > lo)) throw new RangeError(`empty range [${lo}, ${hi})`);
    return lo + Math.floor(this.float() * (hi - lo));
  }

  private refill(byteOffset: number): void {
    this.buf.fill(0);
    chacha20(this.key, NONCE, this.buf, this.buf, byteOffset / BLOCK);
    this.bufStart = byteOffset;
  }
}
