/**
 * The PSP's AES-128 engine as a WebAssembly module (built with wasm-emit.ts): the same
 * T-table formulation @noble/ciphers uses (FIPS 197 §5 with the round function folded
 * into four 1 KiB tables, the "5.2" optimisation of the original Rijndael proposal), in
 * the same little-endian word layout, so round keys expanded by noble load unchanged and
 * every output is byte-identical to noble's. WebAssembly runs it 2–3× faster than
 * JavaScript, which matters because the memory cipher (§13) needs raw AES of arbitrary
 * blocks and no browser offers that in bulk (WebCrypto has no ECB).
 *
 * Exported functions, all `(src, dst, nBlocks)` over byte offsets into the memory:
 * - `ecb_enc` / `ecb_dec`: raw AES of each 16-byte block;
 * - `xex_enc` / `xex_dec`: the §13 memory cipher `C = E(P ⊕ T) ⊕ T` with the tweak for the
 *   first block at {@link WASM_TWEAK}, doubled in GF(2^128) (XTS convention) after each
 *   block and stored back;
 * - `ctr`: AES-CTR with the 128-bit big-endian counter block at {@link WASM_COUNTER}
 *   (advanced and stored back), `dst = src ⊕ keystream`.
 * The caller fills the tables (aes-wasm.ts) and the round keys at {@link WASM_ENC_KEY} /
 * {@link WASM_DEC_KEY} (noble's `expandKeyLE` / `expandKeyDecLE` layouts).
 */
import { assembleModule, Code, I32, type WasmFunction } from './wasm-emit.js';

/** Encryption T-tables Te0..Te3 (4 × 256 words). */
export const WASM_TE = 0x0000;
/** Decryption T-tables Td0..Td3. */
export const WASM_TD = 0x1000;
/** The S-box and its inverse (256 bytes each). */
export const WASM_SBOX = 0x2000;
export const WASM_INV_SBOX = 0x2100;
/** Expanded AES-128 keys: 44 words each. */
export const WASM_ENC_KEY = 0x2200;
export const WASM_DEC_KEY = 0x2300;
/** The running XEX tweak and CTR counter block (16 bytes each). */
export const WASM_TWEAK = 0x2400;
export const WASM_COUNTER = 0x2410;
/** Start of the data area callers copy blocks into. */
export const WASM_DATA = 0x3000;

const ROUNDS = 10;
// Locals: 0 src, 1 dst, 2 n (params); 3..6 state; 7..10 next state; 11..14 tweak/counter; 15 tmp.
const SRC = 0;
const DST = 1;
const N = 2;
const S = [3, 4, 5, 6];
const T = [7, 8, 9, 10];
const W = [11, 12, 13, 14];
const TMP = 15;

type Mode = 'ecb' | 'xex' | 'ctr';

/** `((s >>> 8k) & 0xff) * 4`: a byte of a state word as a T-table byte offset. */
function tableIndex(c: Code, s: number, k: number): void {
  c.get(s);
  if (k === 0) c.i32(2).shl();
  else c.i32(8 * k - 2).shrU();
  c.i32(0x3fc).and();
}

/** `(s >>> 8k) & 0xff`: a byte of a state word as an S-box offset. */
function byteIndex(c: Code, s: number, k: number): void {
  c.get(s);
  if (k > 0) c.i32(8 * k).shrU();
  if (k < 3) c.i32(0xff).and();
}

/** Word j of round r: which state word feeds byte lane k (ShiftRows, or its inverse). */
function lane(enc: boolean, j: number, k: number): number {
  return enc ? S[(j + k) % 4] : S[(j - k + 4) % 4];
}

/** The ten rounds on S (whitened already); leaves round 10's output words on T. */
function rounds(c: Code, enc: boolean): void {
  const tables = enc ? WASM_TE : WASM_TD;
  const key = enc ? WASM_ENC_KEY : WASM_DEC_KEY;
  for (let r = 1; r < ROUNDS; r++) {
    for (let j = 0; j < 4; j++) {
      c.i32(0).load(key + 16 * r + 4 * j);
      for (let k = 0; k < 4; k++) {
        tableIndex(c, lane(enc, j, k), k);
        c.load(tables + 1024 * k).xor();
      }
      c.set(T[j]);
    }
    for (let j = 0; j < 4; j++) c.get(T[j]).set(S[j]);
  }
  const sbox = enc ? WASM_SBOX : WASM_INV_SBOX;
  for (let j = 0; j < 4; j++) {
    c.i32(0).load(key + 16 * ROUNDS + 4 * j);
    for (let k = 0; k < 4; k++) {
      byteIndex(c, lane(enc, j, k), k);
      c.load8(sbox);
      if (k > 0) c.i32(8 * k).shl();
      c.xor();
    }
    c.set(T[j]);
  }
}

/** Byte-swaps local `x` onto the stack (big-endian counter words ↔ little-endian loads). */
function bswap(c: Code, x: number): void {
  c.get(x).i32(24).shl();
  c.get(x).i32(0xff00).and().i32(8).shl().or();
  c.get(x).i32(8).shrU().i32(0xff00).and().or();
  c.get(x).i32(24).shrU().or();
}

/** Tweak ← alpha ⊗ tweak in GF(2^128), words little-endian (as memory-cipher.ts). */
function doubleTweak(c: Code): void {
  c.i32(0).get(W[3]).i32(31).shrU().sub().i32(0x87).and().set(TMP);
  c.get(W[3]).i32(1).shl().get(W[2]).i32(31).shrU().or().set(W[3]);
  c.get(W[2]).i32(1).shl().get(W[1]).i32(31).shrU().or().set(W[2]);
  c.get(W[1]).i32(1).shl().get(W[0]).i32(31).shrU().or().set(W[1]);
  c.get(W[0]).i32(1).shl().get(TMP).xor().set(W[0]);
}

/** Counter block + 1 as a 128-bit big-endian integer; the carry walks up the words rarely. */
function incrementCounter(c: Code): void {
  c.block();
  for (let j = 3; j >= 0; j--) {
    bswap(c, W[j]);
    c.i32(1).add().set(TMP);
    bswap(c, TMP);
    c.tee(W[j]);
    c.brIf(0); // no wrap in this word: done
  }
  c.end();
}

function aesFunction(fn: string, enc: boolean, mode: Mode): WasmFunction {
  const c = new Code();
  const state = mode === 'xex' ? WASM_TWEAK : WASM_COUNTER;
  if (mode !== 'ecb') for (let j = 0; j < 4; j++) c.i32(0).load(state + 4 * j).set(W[j]);
  const key = enc ? WASM_ENC_KEY : WASM_DEC_KEY;
  c.block().loop();
  c.get(N).eqz().brIf(1);
  for (let j = 0; j < 4; j++) {
    if (mode === 'ctr') c.get(W[j]);
    else {
      c.get(SRC).load(4 * j);
      if (mode === 'xex') c.get(W[j]).xor();
    }
    c.i32(0).load(key + 4 * j).xor().set(S[j]);
  }
  rounds(c, enc);
  for (let j = 0; j < 4; j++) {
    c.get(DST).get(T[j]);
    if (mode === 'xex') c.get(W[j]).xor();
    if (mode === 'ctr') c.get(SRC).load(4 * j).xor();
    c.store(4 * j);
  }
  if (mode === 'xex') doubleTweak(c);
  if (mode === 'ctr') incrementCounter(c);
  c.get(SRC).i32(16).add().set(SRC);
  c.get(DST).i32(16).add().set(DST);
  c.get(N).i32(1).sub().set(N);
  c.br(0).end().end();
  if (mode !== 'ecb') for (let j = 0; j < 4; j++) c.i32(0).get(W[j]).store(state + 4 * j);
  return { name: fn, params: 3, locals: [{ type: I32, count: 13 }], code: c };
}

/** The module's bytes (one 64 KiB page of memory to start; the runtime grows it). */
export function aesWasmModule(): Uint8Array {
  return assembleModule(
    [
      aesFunction('ecb_enc', true, 'ecb'),
      aesFunction('ecb_dec', false, 'ecb'),
      aesFunction('xex_enc', true, 'xex'),
      aesFunction('xex_dec', false, 'xex'),
      aesFunction('ctr', true, 'ctr'),
    ],
    1,
  );
}
