/**
 * One call per firmware command for the trusted channel (reference §9):
 *
 * - {@link openSessionChannel}: LAUNCH_START with a guest owner (peer = GODH cert) and
 *   RECEIVE_START (peer = the source's PDH cert). Steps in FW order (§9.3): session length
 *   128 and certificate length 2084 (INVALID_LEN); peer cert body — usage PDH, algo
 *   ECDH_SHA256, P-384 point (INVALID_CERTIFICATE), its signatures are *not* checked
 *   (§8.3, §14.2); Z = ECDH(own PDH private, peer); master/KEK/KIK; WRAP_MAC
 *   (BAD_MEASUREMENT); unwrap; POLICY_MAC (BAD_MEASUREMENT). Policy rules follow in the caller.
 * - {@link createSendSession}: SEND_START's channel once the target is accepted: body check
 *   of the target PDH, Z = ECDH(own PDH private, target PDH), fresh TEK, TIK, NONCE and
 *   WRAP_IV from the RNG, the 128-byte blob. The source uses its **own PDH** (§8.3), so the
 *   target needs the source PDH cert too.
 */
import { SEV_ALGO, SEV_CERT_LEN, SEV_USAGE, sanityCheckSevCert } from '../certs/sev-cert.js';
import type { RandomSource } from './bytes.js';
import { p384Ecdh } from './p384.js';
import { buildSessionBlob, openSessionBlob, SESSION_BLOB_LEN } from './session.js';
import { cryptoFail, type CryptoResult } from './status.js';
import { TransportKeys } from './transport.js';

/** An open channel: raw TEK/TIK (for persistence) and the keyed {@link TransportKeys}. */
export interface OpenChannel {
  tek: Uint8Array;
  tik: Uint8Array;
  keys: TransportKeys;
}

/** Inputs of {@link openSessionChannel}. */
export interface OpenSessionInput {
  /** This platform's PDH private scalar (48 bytes big-endian). */
  pdhPrivateKey: Uint8Array;
  /** The peer's DH certificate bytes (GODH for LAUNCH_START, source PDH for RECEIVE_START). */
  peerCert: Uint8Array;
  /** The session blob bytes. */
  session: Uint8Array;
  /** The policy field of the command buffer. */
  policy: number;
}

/** LAUNCH_START / RECEIVE_START: authenticate and unwrap a session (see the file header). */
export function openSessionChannel(input: OpenSessionInput): CryptoResult<OpenChannel> {
  if (input.session.length !== SESSION_BLOB_LEN) {
    return cryptoFail('INVALID_LEN', `session_len ${input.session.length}, must be 128`);
  }
  if (input.peerCert.length !== SEV_CERT_LEN) {
    return cryptoFail('INVALID_LEN', `DH certificate length ${input.peerCert.length}, must be 2084`);
  }
  const peer = sanityCheckSevCert(input.peerCert, SEV_USAGE.PDH, SEV_ALGO.ECDH_SHA256);
  if (!peer.ok) return peer;
  const z = p384Ecdh(input.pdhPrivateKey, peer.publicKey);
  if (!z) return cryptoFail('INVALID_CERTIFICATE', 'peer DH key is not a valid P-384 point');
  const opened = openSessionBlob(z, input.session, input.policy);
  if (!opened.ok) return opened;
  return { ok: true, tek: opened.tek, tik: opened.tik, keys: new TransportKeys(opened.tek, opened.tik) };
}

/** Inputs of {@link createSendSession}. */
export interface SendSessionInput {
  /** This (source) platform's PDH private scalar. */
  pdhPrivateKey: Uint8Array;
  /** The target's PDH certificate bytes (already chain-checked if the policy asks). */
  targetPdhCert: Uint8Array;
  /** The guest's policy (POLICY_MAC covers it). */
  policy: number;
  /** The firmware's RNG stream: TEK, TIK, NONCE, WRAP_IV are drawn in that order. */
  rng: RandomSource;
}

/** SEND_START: the session blob for the target plus this side's open channel. */
export function createSendSession(input: SendSessionInput): CryptoResult<OpenChannel & { session: Uint8Array }> {
  const target = sanityCheckSevCert(input.targetPdhCert, SEV_USAGE.PDH, SEV_ALGO.ECDH_SHA256);
  if (!target.ok) return target;
  const z = p384Ecdh(input.pdhPrivateKey, target.publicKey);
  if (!z) return cryptoFail('INVALID_CERTIFICATE', 'target PDH key is not a valid P-384 point');
  const tek = input.rng.bytes(16);
  const tik = input.rng.bytes(16);
  const nonce = input.rng.bytes(16);
  const wrapIv = input.rng.bytes(16);
  const session = buildSessionBlob(z, { tek, tik, nonce, wrapIv }, input.policy);
  return { ok: true, session, tek, tik, keys: new TransportKeys(tek, tik) };
}
