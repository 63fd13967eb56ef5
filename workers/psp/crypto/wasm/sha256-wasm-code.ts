/**
 * The SHA-256 compression function (FIPS 180-4 §6.2.2) as a WebAssembly module, for the
 * PSP's HMAC-SHA-256 (every transport packet MAC, §10.1). One exported function,
 * `compress(state, data, nBlocks)`: the eight state words at byte offset `state`
 * (native u32, updated in place) absorb `nBlocks` 64-byte blocks at `data`. Padding and
 * the HMAC construction stay in TypeScript (sha256-wasm.ts).
 *
 * The 64 rounds are unrolled with the working variables renamed instead of moved (round t
 * writes the new `a` into the local that held `h`), and the message schedule lives in a
 * ring of 16 locals.
 */
import { assembleModule, Code, I32 } from './wasm-emit.js';

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
function roundConstants(): number[] {
  const k: number[] = [];
  for (let n = 2; k.length < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (!prime) continue;
    const root = Math.cbrt(n);
    k.push(Math.floor((root - Math.floor(root)) * 2 ** 32) | 0);
  }
  return k;
}

// Locals: 0 state, 1 data, 2 n (params); 3..10 working variables; 11..26 schedule ring; 27, 28 temps.
const STATE = 0;
const DATA = 1;
const N = 2;
const VARS = [3, 4, 5, 6, 7, 8, 9, 10];
const WR = Array.from({ length: 16 }, (_, i) => 11 + i);
const T1 = 27;
const T2 = 28;

/** rotr(x, a) ^ rotr(x, b) ^ (rotr(x, c) or x >>> c) of local x onto the stack. */
function sigma(c: Code, x: number, a: number, b: number, d: number, shift: boolean): void {
  c.get(x).i32(a).rotr();
  c.get(x).i32(b).rotr().xor();
  c.get(x).i32(d);
  if (shift) c.shrU();
  else c.rotr();
  c.xor();
}

/** Big-endian load of message word i of the current block. */
function loadBigEndian(c: Code, i: number): void {
  c.get(DATA).load(4 * i).i32(8).rotr().i32(0xff00ff00 | 0).and();
  c.get(DATA).load(4 * i).i32(8).rotl().i32(0x00ff00ff).and().or();
}

function compress(): Code {
  const c = new Code();
  const k = roundConstants();
  c.block().loop();
  c.get(N).eqz().brIf(1);
  for (let i = 0; i < 8; i++) c.get(STATE).load(4 * i).set(VARS[i]);
  let v = VARS.slice();
  for (let t = 0; t < 64; t++) {
    const w = WR[t % 16];
    if (t < 16) {
      loadBigEndian(c, t);
      c.set(w);
    } else {
      sigma(c, WR[(t - 2) % 16], 17, 19, 10, true);
      c.get(WR[(t - 7) % 16]).add();
      sigma(c, WR[(t - 15) % 16], 7, 18, 3, true);
      c.add().get(w).add().set(w);
    }
    const [a, b, cc, d, e, f, g, h] = v;
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; Ch = g ^ (e & (f ^ g))
    c.get(h);
    sigma(c, e, 6, 11, 25, false);
    c.add();
    c.get(g).get(e).get(f).get(g).xor().and().xor().add();
    c.i32(k[t]).add().get(w).add().set(T1);
    // T2 = Σ0(a) + Maj(a, b, c); Maj = (a & b) | (c & (a | b))
    sigma(c, a, 2, 13, 22, false);
    c.get(a).get(b).and().get(cc).get(a).get(b).or().and().or().add().set(T2);
    c.get(d).get(T1).add().set(d);
    c.get(T1).get(T2).add().set(h);
    v = [h, a, b, cc, d, e, f, g];
  }
  for (let i = 0; i < 8; i++) c.get(STATE).get(STATE).load(4 * i).get(VARS[i]).add().store(4 * i);
  c.get(DATA).i32(64).add().set(DATA);
  c.get(N).i32(1).sub().set(N);
  c.br(0).end().end();
  return c;
}

/** The module's bytes (one 64 KiB page of memory). */
export function sha256WasmModule(): Uint8Array {
  return assembleModule([{ name: 'compress', params: 3, locals: [{ type: I32, count: 26 }], code: compress() }], 1);
}
