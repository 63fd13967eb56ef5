/**
 * The platform API the engine's crypto fast path uses, declared by hand because workers/
 * compiles without the DOM and Node libraries (its tsconfig has `lib: ES2023`,
 * `types: []`): WebCrypto's `crypto.subtle` (AES-CTR, AES-CBC, HMAC-SHA-256). It exists in
 * Web Workers and in Node ≥ 20 as a global; the accessor returns undefined where it does
 * not, and every caller then keeps to @noble (which stays the reference implementation).
 * The lab uses no cipher of its own: every primitive is noble's or WebCrypto's.
 *
 * Only the shapes used are declared, as interfaces (not ambient globals), so this file
 * type-checks beside the DOM and Node declarations in the other tsconfigs.
 */

/** An opaque WebCrypto key. */
export interface CryptoKeyLike {
  readonly type: string;
}

/** `AesCtrParams`: a 16-byte counter block and how many of its low bits count (128 here). */
export interface AesCtrParamsLike {
  name: 'AES-CTR';
  counter: Uint8Array;
  length: number;
}

/** `AesCbcParams`. */
export interface AesCbcParamsLike {
  name: 'AES-CBC';
  iv: Uint8Array;
}

/** The subset of `SubtleCrypto` used by the bulk transport and memory paths. */
export interface SubtleLike {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'AES-CTR' } | { name: 'AES-CBC' } | { name: 'HMAC'; hash: 'SHA-256' },
    extractable: boolean,
    usages: ('encrypt' | 'decrypt' | 'sign' | 'verify')[],
  ): Promise<CryptoKeyLike>;
  encrypt(algorithm: AesCtrParamsLike | AesCbcParamsLike, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: AesCtrParamsLike | AesCbcParamsLike, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: 'HMAC', key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
}

/** `crypto.subtle`, or undefined (no WebCrypto, or not a secure context). */
export function platformSubtle(): SubtleLike | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
}
