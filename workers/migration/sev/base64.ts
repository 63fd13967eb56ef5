/**
 * Base64 as QEMU's monitor carries certificates (`query-sev-capabilities` output and the
 * `sev-pdh` / `sev-plat-cert` / `sev-amd-cert` parameters). The engine has no atob/btoa
 * in every context, so both directions are here; decoding is strict (standard alphabet,
 * padding optional, whitespace ignored) and answers undefined for anything else.
 */
import { base64 } from '../../vmm/sev-guest.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 of `b`. */
export function toBase64(b: Uint8Array): string {
  return base64(b);
}

/** The bytes of a base64 text, or undefined when it is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/\s+/g, '').replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
